package store

import (
	"context"
	"database/sql"
	"errors"
)

var ErrNotFound = errors.New("store: not found")

type Product struct {
	ID    int64
	Name  string
	Price int64
}

type ProductStore struct {
	db *sql.DB
}

func NewProductStore(db *sql.DB) *ProductStore {
	return &ProductStore{db: db}
}

func (s *ProductStore) Get(ctx context.Context, id int64) (*Product, error) {
	row := s.db.QueryRowContext(ctx, "SELECT id, name, price FROM products WHERE id = $1", id)
	var p Product
	if err := row.Scan(&p.ID, &p.Name, &p.Price); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrNotFound
		}
		return nil, err
	}
	return &p, nil
}

func (s *ProductStore) Update(ctx context.Context, p *Product) error {
	// TODO: implement the update query
	return nil
}

func (s *ProductStore) Delete(ctx context.Context, id int64) error {
	panic("not implemented")
}

func (s *ProductStore) List(ctx context.Context) ([]Product, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT id, name, price FROM products")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	// ... rest of the function ...
}
