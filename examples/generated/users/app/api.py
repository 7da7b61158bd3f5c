# Sample: a reply written by hand for the aiops example, not by a model.
"""The Flask application serving the store."""

from dataclasses import asdict

from flask import Flask, jsonify, request

from .store import UserStore


def create_app(store: UserStore | None = None) -> Flask:
    app = Flask(__name__)
    users = store or UserStore()

    @app.post("/users")
    def create_user():
        body = request.get_json(force=True)
        try:
            user = users.create_user(body["name"], body["email"], body.get("role", "user"))
        except ValueError as error:
            return jsonify(error=str(error)), 409
        return jsonify(asdict(user)), 201

    @app.route("/users/<int:user_id>", methods=["GET"])
    def get_user(user_id):
        user = users.get_user(user_id)
        if user is None:
            return jsonify(error="no such user"), 404
        return jsonify(asdict(user))

    @app.delete("/users/<int:user_id>")
    def delete_user(user_id):
        if not users.delete_user(user_id):
            return jsonify(error="no such user"), 404
        return "", 204

    return app
