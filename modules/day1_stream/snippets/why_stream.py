"""Time to first token vs time to the whole answer, measured on a model paced like a real one."""

import time

from coursekit import FakeStreamingChatModel

QUESTION = "Why do chat apps stream their answers?"
ANSWER = (
    "Because people start reading as soon as the first words appear, "
    "so a long answer feels quick even though it takes just as long to write."
)

# About 0.35 s before the first token, then about 30 ms per token: the pace of a hosted model.
# Swap in get_chat_model() to measure your own provider.
model = FakeStreamingChatModel.realistic(responses=[ANSWER])

start = time.perf_counter()
model.invoke(QUESTION)
whole_answer = time.perf_counter() - start
print(f"invoke(): nothing to show for {whole_answer:.2f} s, then the whole answer at once\n")

start = time.perf_counter()
first_token = None
for chunk in model.stream(QUESTION):
    if chunk.text and first_token is None:
        first_token = time.perf_counter() - start
    print(chunk.text, end="", flush=True)
last_token = time.perf_counter() - start

print(f"\n\nstream(): first words after {first_token:.2f} s, last words after {last_token:.2f} s")
print(f"The reader starts reading {whole_answer / first_token:.0f}x sooner; the answer is not any faster.")
