package charts

import (
	"fmt"
	"os"

	"sigs.k8s.io/yaml"
)

// LoadRepoConfig reads a Helm repositories file (repositories.yaml, as `helm repo add` writes
// it) and returns its repositories, which then replace the chartfile's. Fields Helm adds that
// the chartfile has no use for are ignored, as Tanka does.
func LoadRepoConfig(path string) ([]Repo, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read repository config: %w", err)
	}
	var cfg struct {
		Repositories []Repo `json:"repositories"`
	}
	if err := yaml.Unmarshal(data, &cfg); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if cfg.Repositories == nil {
		cfg.Repositories = []Repo{}
	}
	return cfg.Repositories, nil
}
