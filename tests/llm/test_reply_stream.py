"""Streaming a reply's text to a sink; the reply itself is the same as without one."""

from __future__ import annotations

import itertools

from clinisim.llm import ModelClient, load_model_config, streaming_to

REPLY = "It started yesterday evening, around the belly button."


async def test_a_sink_sees_the_text_grow_and_the_completion_is_whole() -> None:
    config = load_model_config({"patient": "openai/gpt-4o-mini"})
    client = ModelClient(config, call_options={"mock_response": REPLY})
    seen: list[tuple[str, str]] = []
    with streaming_to(lambda role, text: seen.append((role, text))):
        completion = await client.complete("patient", [{"role": "user", "content": "When?"}])
    assert completion.text == REPLY
    assert completion.usage.calls == 1 and completion.usage.completion_tokens > 0
    assert len(seen) > 3 and {role for role, _ in seen} == {"patient"}
    texts = [text for _, text in seen]
    assert all(later.startswith(earlier) for earlier, later in itertools.pairwise(texts))
    assert texts[-1] == REPLY


async def test_without_a_sink_nothing_streams() -> None:
    config = load_model_config({"patient": "openai/gpt-4o-mini"})
    client = ModelClient(config, call_options={"mock_response": REPLY})
    completion = await client.complete("patient", [{"role": "user", "content": "When?"}])
    assert completion.text == REPLY
