package report

import (
	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"
)

// sarifInvocation describes a run that could not validate every environment: execution was
// not successful, and each run failure (KF-RUN-*) is a tool execution notification at its
// location. It is nil when every environment was validated.
func sarifInvocation(r Report) *sarif.Invocation {
	if !r.Failed() {
		return nil
	}
	inv := sarif.NewInvocation().WithExecutionSuccessful(false)
	for _, e := range r.Environments {
		for _, f := range e.Findings {
			if !IsRunFailure(f) {
				continue
			}
			n := sarif.NewNotification().
				WithLevel(sarif.LevelError).
				WithMessage(sarif.NewTextMessage(githubMessage(f))).
				WithDescriptor(sarif.NewReportingDescriptorReference().WithID(f.RuleID))
			if f.File != "" {
				n.AddLocation(sarif.NewLocation().WithPhysicalLocation(sarif.NewPhysicalLocation().
					WithArtifactLocation(sarif.NewSimpleArtifactLocation(f.File).WithURIBaseID("%SRCROOT%")).
					WithRegion(sarifRegion(f))))
			}
			inv.AddToolExecutionNotification(n)
		}
	}
	return inv
}
