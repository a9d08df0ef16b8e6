package flasky

// RuleExamplePathForTest returns the example path of the app's route with
// the given rule, as ambiguity errors show it, or "" when the rule can
// match nothing (<any(”)>, <int(min=5,max=3)>).
func RuleExamplePathForTest(a *App, rule string) string {
	for _, r := range a.table.routes {
		if r.rule.text == rule {
			for _, v := range r.rule.vars {
				if sampleValue(v.conv) == "" {
					return ""
				}
			}
			return r.rule.examplePath()
		}
	}
	return ""
}
