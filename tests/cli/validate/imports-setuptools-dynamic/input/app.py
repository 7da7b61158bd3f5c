import flask
import pytest
import flask_cors
