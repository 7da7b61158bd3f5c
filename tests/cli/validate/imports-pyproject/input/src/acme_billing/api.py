import asyncio
import imp
import distutils.util
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import create_async_engine
from google.cloud import storage
import redis
import tomllib
from acme_billing import models
import stripe_payments_sdk
