"""Scans each chunk character by character, tracking strings and nesting, and decodes an item when its depth closes."""

from __future__ import annotations

import json


async def array_items(model, question, key):
    seen = ""  # the text before the array, to find where it opens
    in_array = finished = False
    depth = 0  # nesting inside the array: 0 between items
    in_string = escaped = False
    item = []
    async for chunk in model.astream(question):
        for char in chunk.text:
            if finished:
                break
            if not in_array:
                seen += char
                head = seen.rstrip()
                if head.endswith("[") and head[:-1].rstrip().rstrip(":").rstrip().endswith(f'"{key}"'):
                    in_array = True
                continue
            if depth == 0 and not in_string:
                if char == "]":
                    finished = True
                    continue
                if char in " \t\r\n,":
                    continue
            item.append(char)
            if in_string:
                if escaped:
                    escaped = False
                elif char == "\\":
                    escaped = True
                elif char == '"':
                    in_string = False
                    if depth == 0:  # a string item
                        yield json.loads("".join(item))
                        item = []
                continue
            if char == '"':
                in_string = True
            elif char in "{[":
                depth += 1
            elif char in "}]":
                depth -= 1
                if depth == 0:
                    yield json.loads("".join(item))
                    item = []
