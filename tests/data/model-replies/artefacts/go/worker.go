package worker

import (
	"context"
	"log"
	"sync"
	"time"
)

type Job func(ctx context.Context) error

type Pool struct {
	jobs    chan Job
	workers int
	wg      sync.WaitGroup
}

func NewPool(workers, queue int) *Pool {
	return &Pool{jobs: make(chan Job, queue), workers: workers}
}

func (p *Pool) Start(ctx context.Context) {
	for i := 0; i < p.workers; i++ {
		p.wg.Add(1)
		go func(id int) {
			defer p.wg.Done()
			for {
				select {
				case <-ctx.Done():
					return
				case job := <-p.jobs:
					started := time.Now()
					if err := job(ctx); err != nil {
						log.Printf("worker %d: job failed after %s: %v", id, time.Since(started), err
