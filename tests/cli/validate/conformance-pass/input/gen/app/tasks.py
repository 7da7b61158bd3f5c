from dataclasses import dataclass
from datetime import date


@dataclass
class Task:
    title: str
    due: date | None = None


def parse_due(text: str, strict: bool = False) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        if strict:
            raise
        return None


class TaskList:
    def __init__(self) -> None:
        self.tasks: list[Task] = []

    def add(self, title: str, due: date | None = None) -> Task:
        task = Task(title, due)
        self.tasks.append(task)
        return task
