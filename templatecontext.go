package flasky

// ContextProcessor computes values for the templates of a request, like a
// function registered with Flask's context_processor: the current user,
// the year for a footer, the site's name. It runs on each render ([Ctx.Render],
// [Ctx.RenderString], [Ctx.RenderToString], [Ctx.StreamTemplate]) of a
// request it applies to.
type ContextProcessor func(c *Ctx) M

// ContextProcessor adds fn, whose values every template rendered in a
// request sees. When the data is an [M] or nil, the values are merged
// into it, so a page reads {{.user}} as if the handler had passed it;
// the handler's own values win over a processor's, as in Flask. Any data
// (a struct too) leaves them readable as {{vars.user}}, which is what a
// layout shared by pages of both kinds should use. Processors run in the
// order added, the app's before the blueprints' (see
// [Blueprint.ContextProcessor]), a later one's value winning.
//
// Values that hooks compute for the handler as well belong in [Ctx.Set],
// which templates read as g: {{g.user}}. A processor suits what only
// templates need. [App.RenderToString] renders outside a request and runs
// none.
func (a *App) ContextProcessor(fn ContextProcessor) {
	a.templates().addProcessor(&a.root, fn)
}

// ContextProcessor adds fn for the templates rendered in requests of the
// blueprint's routes (and of the blueprints registered inside it); they
// run after the app's, so their values win. See [App.ContextProcessor].
func (b *Blueprint) ContextProcessor(fn ContextProcessor) {
	b.record(func(g *group) { g.app.templates().addProcessor(g, fn) })
}

// AppContextProcessor adds fn for the templates of every request of the
// app, once however many times the blueprint is registered (Flask's
// app_context_processor).
func (b *Blueprint) AppContextProcessor(fn ContextProcessor) {
	added := map[*App]bool{}
	b.record(func(g *group) {
		if !added[g.app] {
			added[g.app] = true
			g.app.ContextProcessor(fn)
		}
	})
}

func (ts *templateSet) addProcessor(g *group, fn ContextProcessor) {
	if fn == nil {
		panic("flasky: ContextProcessor(nil)")
	}
	ts.procs = append(ts.procs, groupProcessor{g, fn})
}

// templateContext runs the context processors that apply to c (the app's,
// then those of the route's blueprints from the outermost in) and returns
// the data with their values merged in when it is an M (or nil), and the
// values. The handler's values win. The handler's map is not changed.
func (c *Ctx) templateContext(data any) (any, M) {
	var vals M
	run := func(g *group) {
		for _, p := range c.app.tmpl.procs {
			if p.g != g {
				continue
			}
			for k, v := range p.fn(c) {
				if vals == nil {
					vals = M{}
				}
				vals[k] = v
			}
		}
	}
	run(&c.app.root)
	var buf [4]*group
	for _, g := range c.groupsOf(buf[:0]) {
		run(g)
	}
	if vals == nil {
		return data, nil
	}
	var own map[string]any
	switch d := data.(type) {
	case nil:
		return vals, vals
	case M:
		own = d
	case map[string]any:
		own = d
	default:
		return data, vals
	}
	merged := make(M, len(vals)+len(own))
	for k, v := range vals {
		merged[k] = v
	}
	for k, v := range own {
		merged[k] = v
	}
	return merged, vals
}
