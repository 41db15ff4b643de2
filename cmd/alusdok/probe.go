package main

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// ProbeCmd asks an HTTP health endpoint and exits non-zero unless it answers
// 200: the container health check of images that have no curl.
type ProbeCmd struct {
	URL     string        `arg:"" help:"URL to ask, e.g. http://127.0.0.1:8080/readyz."`
	Timeout time.Duration `default:"5s" help:"How long to wait for the answer."`
}

// Run asks the URL once.
func (p *ProbeCmd) Run(rc *runContext) error {
	ctx, cancel := context.WithTimeout(rc.ctx, p.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.URL, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %s", p.URL, resp.Status)
	}
	return nil
}
