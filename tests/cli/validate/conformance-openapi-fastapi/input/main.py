from fastapi import APIRouter, FastAPI

router = APIRouter()
notes: dict[int, str] = {}


@router.get("/notes")
async def list_notes() -> list[str]:
    return list(notes.values())


@router.post("/notes", status_code=201)
async def add_note(text: str) -> int:
    notes[len(notes)] = text
    return len(notes) - 1


@router.get("/notes/{note_id}")
async def read_note(note_id: int) -> str:
    return notes[note_id]


@router.delete("/notes/{note_id}", status_code=204)
async def remove_note(note_id: int) -> None:
    notes.pop(note_id, None)


app = FastAPI()
app.include_router(router)
