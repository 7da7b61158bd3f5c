from fastapi import FastAPI, HTTPException
from fastapi_utils_pro.cbv import cbv
from fastapi_utils_pro.inferring_router import InferringRouter
from pydantic import BaseModel
import uvicorn

app = FastAPI(title="Todo API")
router = InferringRouter()


class Todo(BaseModel):
    id: int
    title: str
    done: bool = False


@cbv(router)
class TodoViews:
    todos: dict[int, Todo] = {}

    @router.get("/todos/{todo_id}")
    def get(self, todo_id: int) -> Todo:
        if todo_id not in self.todos:
            raise HTTPException(status_code=404, detail="not found")
        return self.todos[todo_id]


app.include_router(router)

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=8000)
