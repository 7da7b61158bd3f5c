import datetime
import os

import jwt
from flask import Flask, jsonify, request
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("DATABASE_URL", "sqlite:///app.db")
db = SQLAlchemy(app)


@app.post("/login")
def login():
    body = request.get_json()
    token = jwt.encode(
        {"sub": body["user"], "exp": datetime.datetime.utcnow() + datetime.timedelta(hours=1)},
        os.environ["SECRET_KEY"],
        algorithm="HS256",
    )
    return jsonify(token=token)
