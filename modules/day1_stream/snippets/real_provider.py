"""The same streaming code on any provider: get_chat_model() picks it from the environment."""

from langchain_core.messages import AIMessageChunk

from coursekit import MissingAPIKeyError, describe_provider, get_chat_model

try:
    model = get_chat_model()
except MissingAPIKeyError as error:  # a provider was chosen, but its key is not set
    raise SystemExit(str(error)) from None

print("provider:", describe_provider(model))

full: AIMessageChunk | None = None
for chunk in model.stream("In one sentence, what is streaming?"):
    if chunk.text:
        print(chunk.text, end="", flush=True)
    full = chunk if full is None else full + chunk
print()

metadata = full.response_metadata
print("finish_reason:", metadata.get("finish_reason"))
print("model:", metadata.get("model_name") or metadata.get("model"))
print("usage:", full.usage_metadata or "not reported while streaming")
