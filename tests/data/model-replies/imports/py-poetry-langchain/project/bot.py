from langchain.prompts import ChatPromptTemplate
from langchain_openai import ChatOpenAI
from langchain_memory_plus import PersistentConversationMemory

prompt = ChatPromptTemplate.from_messages([("system", "You answer support questions."), ("human", "{question}")])
memory = PersistentConversationMemory(path="memory.db")
chain = prompt | ChatOpenAI(model="gpt-4o-mini")


def answer(question: str) -> str:
    history = memory.load()
    return chain.invoke({"question": question, "history": history}).content
