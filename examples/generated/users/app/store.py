# Sample: a reply written by hand for the aiops example, not by a model.
"""The in-memory user store."""

from dataclasses import dataclass


@dataclass
class User:
    id: int
    name: str
    email: str
    role: str


def normalise_email(email: str) -> str:
    return email.strip().lower()


class UserStore:
    """Keeps users by id; e-mail addresses are unique."""

    def __init__(self) -> None:
        self._users: dict[int, User] = {}
        self._next_id = 1

    def create_user(self, name: str, email: str, role: str = "user") -> User:
        email = normalise_email(email)
        if any(user.email == email for user in self._users.values()):
            raise ValueError(f"{email} is already registered")
        user = User(self._next_id, name, email, role)
        self._users[user.id] = user
        self._next_id += 1
        return user

    def get_user(self, user_id: int) -> User | None:
        return self._users.get(user_id)

    def delete_user(self, user_id: int) -> bool:
        return self._users.pop(user_id, None) is not None
