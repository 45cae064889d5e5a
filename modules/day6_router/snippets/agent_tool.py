# Fake model only: ChatMaritaca 0.4.1 cannot stream a tool call (day 5), and an agent streams every call of its model.
"""An agent with one tool, built with langchain.agents.create_agent: the tool steps stream first, then the answer's tokens."""

import ast
import asyncio
import operator

from langchain.agents import create_agent
from langchain_core.tools import tool

from coursekit import get_chat_model

OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv, ast.USub: operator.neg}


@tool
def calculator(expression: str) -> str:
    """Work out an arithmetic expression such as 25 * 17, with + - * / and parentheses."""

    def value(node: ast.AST) -> float:
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return node.value
        if isinstance(node, ast.BinOp) and type(node.op) in OPERATORS:
            return OPERATORS[type(node.op)](value(node.left), value(node.right))
        if isinstance(node, ast.UnaryOp) and type(node.op) in OPERATORS:
            return OPERATORS[type(node.op)](value(node.operand))
        raise ValueError(f"not arithmetic: {ast.unparse(node)}")

    return str(value(ast.parse(expression, mode="eval").body))  # never eval(): the model writes this string


agent = create_agent(get_chat_model(), tools=[calculator], system_prompt="Use the calculator for any arithmetic.")


async def main() -> None:
    question = {"messages": [{"role": "user", "content": "What is 25 * 17? Use the calculator."}]}
    tokens = []
    async for mode, data in agent.astream(question, stream_mode=["updates", "messages"]):
        if mode == "messages":
            chunk, metadata = data
            if chunk.text and metadata["langgraph_node"] == "model":
                tokens.append(chunk.text)
            continue
        for node, update in data.items():
            message = update["messages"][-1]
            if message.type == "ai" and message.tool_calls:
                calls = ", ".join(f"{call['name']}({call['args']})" for call in message.tool_calls)
                print(f"step  {node}: calls {calls}  (answer tokens so far: {len(tokens)})")
            elif message.type == "tool":
                print(f"step  {node}: {message.name} returned {message.content!r}")
            else:
                print(f"step  {node}: the answer, {len(tokens)} tokens: {''.join(tokens)[:70]!r}")


asyncio.run(main())
