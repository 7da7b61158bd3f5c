package worker

func Run(jobs []func() error) error {
	for _, job := range jobs {
		if err := job(); err != nil {
			return err
