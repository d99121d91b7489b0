// compose-check loads compose files the way `docker compose config` does (compose-go's
// ProjectOptions with the OS environment, interpolation, normalisation and the consistency
// check) and prints the resolved project as YAML; any error exits 1. Used by
// tools/scripts/check-deploy.sh on machines without Docker.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: compose-check COMPOSE_FILE [OVERRIDE_FILE...]")
		os.Exit(64)
	}
	wd, err := os.Getwd()
	if err != nil {
		fail("working directory", err)
	}
	options, err := cli.NewProjectOptions(os.Args[1:],
		cli.WithWorkingDirectory(wd),
		cli.WithOsEnv,
		cli.WithDotEnv,
		cli.WithInterpolation(true),
		cli.WithResolvedPaths(true),
		cli.WithNormalization(true),
		cli.WithConsistency(true),
	)
	if err != nil {
		fail("options", err)
	}
	project, err := options.LoadProject(context.Background())
	if err != nil {
		fail("load", err)
	}
	out, err := project.MarshalYAML()
	if err != nil {
		fail("marshal", err)
	}
	fmt.Print(string(out))
}

func fail(what string, err error) {
	fmt.Fprintf(os.Stderr, "compose-check: %s: %v\n", what, err)
	os.Exit(1)
}
