package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// WriteTAP renders the report in the Test Anything Protocol, as `conftest test -o tap` does:
// one test point per check, "not ok N - file - namespace - message" for failures and
// warnings, "ok N - ..." for infos and for environments with no finding, grouped under
// "# warnings", "# infos" and "# successes" comments after the failures:
//
//	TAP version 13
//	1..3
//	not ok 1 - golden/prod/apps/virtualservice-order-service.yaml:23:9 - kforge.canary - KF-CANARY-003 VirtualService apps/order-service: canary weight 20 exceeds the prod cap of 10
//	# warnings
//	not ok 2 - golden/prod/apps/rollout-esign-service.yaml:31 - kforge.sampling - KF-SAMPLING-005 Rollout apps/esign-service: ...
//	# successes
//	ok 3 - environments/dev/main.jsonnet - - - SUCCESS environments/dev: 180 resources
//
// Unlike conftest, which prints a plan per file tested, the whole run is one TAP document
// with one plan, so TAP consumers read it. Run failures (KF-RUN-*) are failures. A message's
// further lines follow its test point as "# " comments; '#' and '\' in a description are
// escaped as TAP 14 asks, so that no message can forge a directive.
func WriteTAP(w io.Writer, r Report, _ Options) error {
	r = r.normalized()
	cs := checks(r, checkFailure, checkWarning, checkInfo, checkSuccess)
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "TAP version 13")
	fmt.Fprintf(bw, "1..%d\n", len(cs))
	comments := map[string]string{checkWarning: "# warnings", checkInfo: "# infos", checkSuccess: "# successes"}
	group := checkFailure
	for i, c := range cs {
		if c.result != group {
			group = c.result
			fmt.Fprintln(bw, comments[group])
		}
		status := "ok"
		if c.result == checkFailure || c.result == checkWarning {
			status = "not ok"
		}
		first, rest, _ := strings.Cut(c.message, "\n")
		fmt.Fprintf(bw, "%s %d - %s - %s - %s\n", status, i+1, tapEscape(c.file), tapEscape(c.namespace), tapEscape(first))
		if rest != "" {
			for line := range strings.SplitSeq(rest, "\n") {
				fmt.Fprintln(bw, strings.TrimRight("# "+line, " "))
			}
		}
	}
	return bw.Flush()
}

// tapEscape escapes the characters TAP gives a meaning in a test point's description.
func tapEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "#", `\#`).Replace(s)
}
