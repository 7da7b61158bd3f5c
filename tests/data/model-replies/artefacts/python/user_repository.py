import sqlite3
from typing import Optional


class UserRepository:
    """Stores users in a SQLite database."""

    def __init__(self, path: str):
        self.connection = sqlite3.connect(path)

    def get(self, user_id: int) -> Optional[dict]:
        row = self.connection.execute(
            "SELECT id, name, email FROM users WHERE id = ?", (user_id,)
        ).fetchone()
        if row is None:
            return None
        return {"id": row[0], "name": row[1], "email": row[2]}

    def create(self, name: str, email: str) -> int:
        # TODO: implement user creation
        pass

    def update_email(self, user_id: int, email: str) -> None:
        raise NotImplementedError

    def delete(self, user_id: int) -> None:
        ...

    def search(self, query: str) -> list:
        raise NotImplementedError("search is not implemented yet")
