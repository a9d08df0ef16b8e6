package flasky

// RuleExamplePathForTest returns the example path of the app's route with
// the given rule, as ambiguity errors show it, or "".
func RuleExamplePathForTest(a *App, rule string) string {
	for _, r := range a.table.routes {
		if r.rule.text == rule {
			return r.rule.examplePath()
		}
	}
	return ""
}
