"""Add the orders.shipped_at column."""

from alembic import op
import sqlalchemy as sa

revision = "20240611_shipped_at"
down_revision = "20240530_orders"


def upgrade():
    op.add_column("orders", sa.Column("shipped_at", sa.DateTime(), nullable=True))
    op.create_index("ix_orders_shipped_at", "orders", ["shipped_at"])

Now add the downgrade step, which drops the index before the column:

def downgrade():
    op.drop_index("ix_orders_shipped_at", table_name="orders")
    # <rest of implementation>
