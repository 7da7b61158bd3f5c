import os
import tomllib
from dotenv import load_dotenv
from openai import OpenAI
from bs4 import BeautifulSoup
from chatbot import prompts
