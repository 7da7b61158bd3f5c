import pytest
from chatbot.main import OpenAI
