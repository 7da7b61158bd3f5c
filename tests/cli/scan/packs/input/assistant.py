from openai import OpenAI

client = OpenAI(timeout=30)


def act(messages):
    reply = client.chat.completions.create(model="gpt-4o-mini", messages=messages, max_tokens=300)
    exec(reply.choices[0].message.content)
