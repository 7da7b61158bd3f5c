from flask import Flask, jsonify, request

from .tasks import TaskList

app = Flask(__name__)
tasks = TaskList()


@app.route("/tasks/<int:task_id>")
def show_task(task_id):
    return jsonify(title=tasks.tasks[task_id].title)


@app.post("/tasks")
def create_task():
    task = tasks.add(request.json["title"])
    return jsonify(title=task.title), 201
