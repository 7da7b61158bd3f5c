from flask import Blueprint, Flask, jsonify

notes = Blueprint("notes", __name__)
store = {}


@notes.get("/notes")
def listNotes():
    return jsonify(list(store.values()))


@notes.route("/notes", methods=["POST"])
def add_note():
    return jsonify({}), 201


@notes.route("/notes/<int:note_id>", methods=["GET", "DELETE"])
def one_note(note_id):
    return jsonify(store.get(note_id))


app = Flask(__name__)
app.register_blueprint(notes)
