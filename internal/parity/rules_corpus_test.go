package parity

import "github.com/flasky-go/flasky"

// rulesCorpus holds route tables of the kinds real Flask apps have (the
// tutorial's flaskr, blogs, versioned APIs, wikis, file servers, shops,
// multi-tenant sites on subdomains or hosts), written as their developers
// write them, with requests a browser or client sends them: pages that
// exist, that 404, that 405, that redirect (trailing slash, merged
// slashes, defaults, aliases), percent-encoded and non-ASCII paths; and
// url_for calls of their templates. TestRulesParity sends them to Flask
// and to flasky.
var rulesCorpus = []rulesTable{
	{
		// Flask's tutorial, flaskr: an auth blueprint under /auth and a
		// blog blueprint at the root. (The tutorial's
		// app.add_url_rule("/", endpoint="index") is left out: a second
		// rule for "/" is refused by flasky, see the README.)
		Name: "flaskr",
		Blueprints: []blueprintSpec{
			{Name: "auth", URLPrefix: "/auth"},
			{Name: "blog"},
		},
		Rules: []ruleSpec{
			rl("/register", "register", "GET", "POST").bp("auth"),
			rl("/login", "login", "GET", "POST").bp("auth"),
			rl("/logout", "logout").bp("auth"),
			rl("/", "index").bp("blog"),
			rl("/create", "create", "GET", "POST").bp("blog"),
			rl("/<int:id>/update", "update", "GET", "POST").bp("blog"),
			rl("/<int:id>/delete", "delete", "POST").bp("blog"),
		},
		Requests: []string{
			"GET /", "HEAD /", "POST /", "OPTIONS /",
			"GET /create", "POST /create", "PUT /create", "GET /create/",
			"GET /1/update", "POST /42/update", "DELETE /1/update",
			"GET /0/update", "GET /007/update", "GET /-1/update", "GET /abc/update",
			"GET /1.5/update", "GET /1/update/", "GET /%31/update", "GET /1",
			"POST /1/delete", "GET /1/delete", "OPTIONS /1/delete",
			"GET /auth/register", "POST /auth/register", "GET /auth/login",
			"POST /auth/login?next=%2Fcreate", "GET /auth/logout", "POST /auth/logout",
			"GET /auth", "GET /auth/", "GET /auth/login/", "GET /AUTH/login", "GET /auth//login",
		},
		Builds: []buildSpec{
			bld("/", "blog.index", nil),
			bld("/", "blog.create", nil),
			bld("/", "blog.update", flasky.M{"id": 1}),
			bld("/", "blog.delete", flasky.M{"id": 3}),
			bld("/", "blog.update", flasky.M{"id": 2, "_anchor": "top"}),
			bld("/", "blog.update", flasky.M{"id": 5, "page": 2}),
			bld("/", "blog.update", nil),
			bld("/", "blog.update", flasky.M{"id": "x"}),
			bld("/", "auth.login", flasky.M{"next": "/create"}),
			bld("/", "auth.register", flasky.M{"_external": true}),
			bld("/", "auth.logout", flasky.M{"_method": "POST"}),
			bld("/", "index", nil),
			bld("/", "nope", nil),
			bld("/auth/login", "auth.logout", nil),
			bld("/auth/login", "blog.update", flasky.M{"id": 9, "_external": true}),
		},
	},
	{
		// A blog: JSON twins of posts (/<slug>.json), dated posts,
		// archives with trailing slashes, tags, a feed, a search page.
		Name: "blog",
		Rules: []ruleSpec{
			rl("/", "index"),
			rl("/feed.xml", "feed"),
			rl("/<slug>.json", "post_json"),
			rl("/<slug>", "post"),
			rl("/post/<int:year>/<int:month>/<slug>", "post_by_date"),
			rl("/post/<int:year>/", "archive_year"),
			rl("/post/<int:year>/<int:month>/", "archive_month"),
			rl("/tag/<tag>/", "tag"),
			rl("/page/<int:n>", "page"),
			rl("/search", "search"),
		},
		Requests: []string{
			"GET /", "GET /feed.xml", "GET /feed.json", "GET /hello-world", "GET /hello-world.json",
			"GET /a.b.json", "GET /.json", "GET /x.JSON", "GET /hello-world/",
			"GET /post/2024/05/hello", "GET /post/2024/5/hello", "GET /post/2024/13/hello",
			"GET /post/2024/", "GET /post/2024", "GET /post/2024/05", "GET /post/2024/05/",
			"GET /post/24x/", "GET /post", "GET /post/",
			"GET /tag/go", "GET /tag/go/", "GET /tag/c%2B%2B/", "GET /tag/a%2Fb/", "GET /tag/한/",
			"GET /tag/go/?utm=1", "GET /tag/go?utm=1&x=%20",
			"GET /page/2", "GET /page/02", "GET /page/",
			"GET /search?q=flask+routing", "GET /hello%20world", "GET /😀.json", "GET /café",
			"POST /hello-world", "GET /%FF",
		},
		Builds: []buildSpec{
			bld("/", "post", flasky.M{"slug": "hello world"}),
			bld("/", "post", flasky.M{"slug": "a/b"}),
			bld("/", "post", flasky.M{"slug": "100% true?"}),
			bld("/", "post_json", flasky.M{"slug": "hello"}),
			bld("/", "post_by_date", flasky.M{"year": 2024, "month": 5, "slug": "hi"}),
			bld("/", "archive_month", flasky.M{"year": 2024, "month": 5}),
			bld("/", "tag", flasky.M{"tag": "c++"}),
			bld("/", "tag", flasky.M{"tag": "한글"}),
			bld("/", "search", flasky.M{"q": "a b&c=d"}),
			bld("/", "search", flasky.M{"q": "x", "page": 2}),
			bld("/", "search", flasky.M{"q": []string{"a", "b"}}),
			bld("/", "search", flasky.M{"q": nil}),
			bld("/", "search", flasky.M{"q": true, "ratio": pyFloat(0.5)}),
			bld("/", "search", flasky.M{"q": "é/?#"}),
			bld("/", "page", flasky.M{"n": 3}),
			bld("/", "page", flasky.M{"n": "3"}),
			bld("/", "feed", flasky.M{"_external": true, "_scheme": "https"}),
			bld("/", "feed", flasky.M{"_anchor": "a b"}),
		},
	},
	{
		// A versioned JSON API: /api/v<int:version>/..., a static rule
		// beside a variable one, several methods per resource.
		Name: "api-versions",
		Rules: []ruleSpec{
			rl("/api/health", "health"),
			rl("/api/v<int:version>/users", "users", "GET", "POST"),
			rl("/api/v<int:version>/users/me", "me"),
			rl("/api/v<int:version>/users/<int:id>", "user", "GET", "PUT", "DELETE"),
			rl("/api/v<int:version>/users/<int:id>/posts", "user_posts"),
			rl("/api/v1/legacy", "legacy"),
			rl("/api/v<int:major>.<int:minor>/info", "info"),
		},
		Requests: []string{
			"GET /api/health", "GET /api/health/", "GET /api/v1/users", "POST /api/v2/users",
			"DELETE /api/v1/users", "GET /api/v1/users/", "GET /api/v1/users/me", "DELETE /api/v1/users/me",
			"GET /api/v1/users/7", "PUT /api/v1/users/7", "DELETE /api/v1/users/7", "PATCH /api/v1/users/7",
			"GET /api/v1/users/7/posts", "GET /api/v10/users/12345", "GET /api/v/users", "GET /api/vx/users",
			"GET /api/v01/users", "GET /api/v1.0/users", "GET /api/v1/legacy", "GET /api/v2/legacy",
			"GET /api/v1.2/info", "GET /api/v1/info", "GET /api/V1/users", "OPTIONS /api/v1/users/7",
			"HEAD /api/v1/users/7", "GET /api/v1/users/7?fields=name,email", "GET /api/v1/users/-7",
			"GET /api/v1/users/%37",
		},
		Builds: []buildSpec{
			bld("/api/health", "users", flasky.M{"version": 1}),
			bld("/api/health", "user", flasky.M{"version": 2, "id": 7}),
			bld("/api/health", "user", flasky.M{"version": 2, "id": 7, "_method": "DELETE"}),
			bld("/api/health", "users", flasky.M{"version": 1, "_method": "POST"}),
			bld("/api/health", "users", flasky.M{"version": 1, "_method": "PATCH"}),
			bld("/api/health", "user_posts", flasky.M{"version": 1, "id": 3, "page": 2, "per_page": 20}),
			bld("/api/health", "info", flasky.M{"major": 1, "minor": 2}),
			bld("/api/health", "user", flasky.M{"version": 1}),
			bld("/api/health", "me", flasky.M{"version": 3}),
			bld("/api/health", "legacy", flasky.M{"_external": true}),
		},
	},
	{
		// A wiki: pages are paths, with /edit and /history after them.
		Name: "wiki",
		Rules: []ruleSpec{
			rl("/", "front"),
			rl("/Special:RecentChanges", "recent"),
			rl("/<path:page>/edit", "edit", "GET", "POST"),
			rl("/<path:page>/history", "history"),
			rl("/<path:page>", "page"),
			rl("/User:<name>", "user"),
		},
		Requests: []string{
			"GET /", "GET /Main_Page", "GET /Main_Page/edit", "POST /Main_Page/edit", "PUT /Main_Page/edit",
			"GET /a/b/c", "GET /a/b/c/edit", "GET /a/b/c/history", "GET /edit", "GET /edit/edit",
			"GET /a/edit/x", "GET /Special:RecentChanges", "GET /Special:Random", "GET /User:alice",
			"GET /User:alice/edit", "GET /a/b/", "GET /a//b", "GET /홍길동", "GET /C%2B%2B/edit",
			"GET /a%2Fb", "GET /a%20b/history", "GET /.hidden", "GET /a/../b", "POST /Main_Page",
			"GET /Main_Page?action=raw", "DELETE /", "GET /edit/",
		},
		Builds: []buildSpec{
			bld("/", "page", flasky.M{"page": "a/b c"}),
			bld("/", "edit", flasky.M{"page": "Main Page"}),
			bld("/", "page", flasky.M{"page": "한글/문서"}),
			bld("/", "page", flasky.M{"page": "why?"}),
			bld("/", "page", flasky.M{"page": "C#"}),
			bld("/", "user", flasky.M{"name": "bob"}),
			bld("/", "history", flasky.M{"page": "x", "oldid": 5}),
			bld("/", "front", nil),
			bld("/", "recent", flasky.M{"days": 7}),
		},
	},
	{
		// File routes: a listing, downloads under a path, uploads by
		// name, assets.
		Name: "files",
		Rules: []ruleSpec{
			rl("/files/", "file_index"),
			rl("/files/<path:filename>", "download"),
			rl("/uploads/<filename>", "uploaded_file"),
			rl("/assets/<path:filename>", "assets"),
		},
		Requests: []string{
			"GET /files/", "GET /files", "GET /files/report.pdf", "GET /files/2024/q1/report.pdf",
			"GET /files/a%20b.txt", "GET /files/..%2Fetc%2Fpasswd", "GET /files/../etc/passwd",
			"GET /files/dir/", "GET /files//x", "GET /uploads/photo.jpg", "GET /uploads/a/b.jpg",
			"GET /uploads/", "GET /uploads/사진.jpg", "GET /assets/css/site.css", "HEAD /assets/js/app.js",
			"POST /files/report.pdf", "GET /files/report.pdf?download=1", "GET /files/%2e%2e/secret",
			"GET /uploads/%2e%2e", "GET /files/a%25b",
		},
		Builds: []buildSpec{
			bld("/files/", "download", flasky.M{"filename": "2024/q1/report.pdf"}),
			bld("/files/", "download", flasky.M{"filename": "a b.txt"}),
			bld("/files/", "download", flasky.M{"filename": "50%.txt"}),
			bld("/files/", "uploaded_file", flasky.M{"filename": "사진.jpg"}),
			bld("/files/", "uploaded_file", flasky.M{"filename": "a/b.jpg"}),
			bld("/files/", "assets", flasky.M{"filename": "css/site.css", "v": 3}),
			bld("/files/", "file_index", nil),
			bld("/files/", "download", nil),
		},
	},
	{
		// Pagination with defaults: /users/ is page 1, /users/page/<n>
		// the others, and the same for an archive and a sort order.
		Name: "pagination-defaults",
		Rules: []ruleSpec{
			rl("/users/", "users").defaults(flasky.M{"page": 1}),
			rl("/users/page/<int:page>", "users"),
			rl("/archive/", "archive").defaults(flasky.M{"year": 2024}),
			rl("/archive/<int:year>", "archive"),
			rl("/tags/", "tags").defaults(flasky.M{"sort": "name"}),
			rl("/tags/<sort>", "tags"),
		},
		Requests: []string{
			"GET /users/", "GET /users", "GET /users/page/2", "GET /users/page/1", "GET /users/page/01",
			"GET /users/page/1?sort=name", "GET /users/page/0", "GET /users/page/", "GET /archive/",
			"GET /archive/2024", "GET /archive/2023", "GET /tags/", "GET /tags/name", "GET /tags/date",
			"POST /users/page/1", "HEAD /users/page/1", "POST /users/page/2",
		},
		Builds: []buildSpec{
			bld("/users/", "users", nil),
			bld("/users/", "users", flasky.M{"page": 1}),
			bld("/users/", "users", flasky.M{"page": 2}),
			bld("/users/", "users", flasky.M{"page": "1"}),
			bld("/users/", "users", flasky.M{"page": 1, "sort": "name"}),
			bld("/users/", "users", flasky.M{"page": 3, "sort": "name"}),
			bld("/users/", "archive", flasky.M{"year": 2024}),
			bld("/users/", "archive", flasky.M{"year": 2023}),
			bld("/users/", "tags", flasky.M{"sort": "name"}),
			bld("/users/", "tags", flasky.M{"sort": "date"}),
			bld("/users/", "tags", nil),
		},
	},
	{
		// Trailing slashes as Flask's quickstart explains them, rules
		// with strict_slashes=False, and the "register both /items and
		// /items/" pattern some apps use to avoid the redirect.
		Name: "trailing-slashes",
		Rules: []ruleSpec{
			rl("/", "index"),
			rl("/about", "about"),
			rl("/projects/", "projects"),
			rl("/docs/", "docs").strict(false),
			rl("/contact", "contact").strict(false),
			rl("/a/b/", "ab"),
			rl("/items", "items"),
			rl("/items/", "items"),
			rl("/blog/<slug>/", "blog_post"),
			rl("/tags/<tag>", "tag").strict(false),
		},
		Requests: []string{
			"GET /about", "GET /about/", "GET /projects", "GET /projects/", "GET /projects?x=1&y=2",
			"GET /docs", "GET /docs/", "GET /contact", "GET /contact/", "GET /a/b", "GET /a/b/", "GET /a",
			"GET /items", "GET /items/", "GET //about", "GET /about//", "GET /projects//",
			"GET /blog/hi", "GET /blog/hi/", "GET /blog/hi?ref=x", "GET /blog/한", "GET /tags/go",
			"GET /tags/go/", "HEAD /projects", "POST /projects", "OPTIONS /projects", "GET /ABOUT",
			"GET /about?", "GET /%2Fabout", "GET /docs?page=2",
		},
		Builds: []buildSpec{
			bld("/", "projects", nil),
			bld("/", "docs", nil),
			bld("/", "contact", nil),
			bld("/", "items", nil),
			bld("/", "items", flasky.M{"_external": true}),
			bld("/", "blog_post", flasky.M{"slug": "hi there"}),
			bld("/", "tag", flasky.M{"tag": "go"}),
		},
	},
	{
		// Methods: one view per method on the same path (login form and
		// login post, REST verbs on an item), a POST-only webhook, and a
		// view that handles OPTIONS itself.
		Name: "methods",
		Rules: []ruleSpec{
			rl("/login", "login_form", "GET"),
			rl("/login", "login_submit", "POST"),
			rl("/items", "list_items", "GET"),
			rl("/items", "create_item", "POST"),
			rl("/items/<int:id>", "get_item", "GET"),
			rl("/items/<int:id>", "replace_item", "PUT"),
			rl("/items/<int:id>", "update_item", "PATCH"),
			rl("/items/<int:id>", "delete_item", "DELETE"),
			rl("/webhook", "webhook", "POST"),
			rl("/bar/", "bar_get", "GET"),
			rl("/bar", "bar_post", "POST"),
			rl("/ping", "ping", "GET", "HEAD"),
			rl("/rpc", "rpc", "GET", "POST", "OPTIONS"),
		},
		Requests: []string{
			"GET /login", "POST /login", "PUT /login", "DELETE /login", "OPTIONS /login", "HEAD /login",
			"GET /items", "POST /items", "PATCH /items", "GET /items/1", "PUT /items/1", "PATCH /items/1",
			"DELETE /items/1", "POST /items/1", "OPTIONS /items/1", "HEAD /items/1", "GET /webhook",
			"POST /webhook", "HEAD /webhook", "OPTIONS /webhook", "GET /bar", "POST /bar", "GET /bar/",
			"POST /bar/", "PUT /bar", "GET /ping", "HEAD /ping", "OPTIONS /ping", "OPTIONS /rpc",
			"POST /rpc", "PUT /rpc", "TRACE /ping", "OPTIONS /nope",
		},
		Builds: []buildSpec{
			bld("/login", "login_form", nil),
			bld("/login", "login_submit", nil),
			bld("/login", "get_item", flasky.M{"id": 1}),
			bld("/login", "get_item", flasky.M{"id": 1, "_method": "GET"}),
			bld("/login", "list_items", flasky.M{"_method": "POST"}),
			bld("/login", "create_item", flasky.M{"_method": "POST"}),
			bld("/login", "delete_item", flasky.M{"id": 2}),
			bld("/login", "webhook", nil),
			bld("/login", "bar_get", nil),
			bld("/login", "bar_post", nil),
			bld("/login", "rpc", flasky.M{"_method": "OPTIONS"}),
		},
	},
	{
		// Every built-in converter with the arguments apps give them.
		Name: "converters",
		Rules: []ruleSpec{
			rl("/item/<uuid:id>", "item"),
			rl("/price/<float:amount>", "price"),
			rl("/page/<int(min=1):n>", "page"),
			rl("/country/<string(length=2):cc>", "country"),
			rl("/year/<int(fixed_digits=4):y>", "year"),
			rl("/temp/<int(signed=True):deg>", "temp"),
			rl("/lang/<any(en,fr,de):lang>/", "lang"),
			rl(`/<any(about,help,"terms-of-use"):page>`, "static_page"),
			rl("/range/<int(min=1,max=10):n>", "in_range"),
			rl("/code/<string(minlength=3,maxlength=5):code>", "code"),
			rl("/score/<float(signed=True):s>", "score"),
		},
		Requests: []string{
			"GET /item/6ba7b810-9dad-11d1-80b4-00c04fd430c8", "GET /item/6BA7B810-9DAD-11D1-80B4-00C04FD430C8",
			"GET /item/1234", "GET /item/6ba7b8109dad11d180b400c04fd430c8", "GET /item/6ba7b810-9dad-11d1-80b4-00c04fd430cg",
			"GET /price/9.99", "GET /price/10", "GET /price/.5", "GET /price/10.", "GET /price/-1.5", "GET /price/0010.50",
			"GET /page/1", "GET /page/0", "GET /page/100",
			"GET /country/kr", "GET /country/KR", "GET /country/kor", "GET /country/k",
			"GET /year/2024", "GET /year/0999", "GET /year/24", "GET /year/20245",
			"GET /temp/-5", "GET /temp/5", "GET /temp/+5", "GET /temp/--5", "GET /temp/-0",
			"GET /lang/en/", "GET /lang/fr", "GET /lang/es/", "GET /lang/EN/",
			"GET /about", "GET /help", "GET /terms-of-use", "GET /privacy",
			"GET /range/10", "GET /range/11", "GET /range/1",
			"GET /code/abc", "GET /code/abcde", "GET /code/abcdef", "GET /code/ab",
			"GET /score/-0.5", "GET /score/1.5", "GET /score/-1",
		},
		Builds: []buildSpec{
			bld("/about", "item", flasky.M{"id": "6ba7b810-9dad-11d1-80b4-00c04fd430c8"}),
			bld("/about", "item", flasky.M{"id": "6BA7B810-9DAD-11D1-80B4-00C04FD430C8"}),
			bld("/about", "price", flasky.M{"amount": pyFloat(9.99)}),
			bld("/about", "price", flasky.M{"amount": pyFloat(10)}),
			bld("/about", "price", flasky.M{"amount": 10}),
			bld("/about", "page", flasky.M{"n": 2}),
			bld("/about", "page", flasky.M{"n": "03"}),
			bld("/about", "price", flasky.M{"amount": "1"}),
			bld("/about", "price", flasky.M{"amount": "1.50"}),
			bld("/about", "price", flasky.M{"amount": true}),
			bld("/about", "page", flasky.M{"n": 0}),
			bld("/about", "country", flasky.M{"cc": "kr"}),
			bld("/about", "country", flasky.M{"cc": "kor"}),
			bld("/about", "year", flasky.M{"y": 2024}),
			bld("/about", "year", flasky.M{"y": 999}),
			bld("/about", "temp", flasky.M{"deg": -5}),
			bld("/about", "lang", flasky.M{"lang": "fr"}),
			bld("/about", "lang", flasky.M{"lang": "es"}),
			bld("/about", "static_page", flasky.M{"page": "terms-of-use"}),
			bld("/about", "score", flasky.M{"s": pyFloat(-0.5)}),
			bld("/about", "in_range", flasky.M{"n": 11}),
		},
	},
	{
		// Converter checks beside other rules, and values Python's int
		// takes that Go's does not.
		Name: "converter-checks",
		Rules: []ruleSpec{
			rl("/page/<int(min=1):n>", "page_num"),
			rl("/page/<name>", "page_name"),
			rl("/n/<int:n>", "num"),
			rl("/f/<float:x>", "flt"),
		},
		Requests: []string{
			"GET /page/3", "GET /page/0", "GET /page/x",
			"GET /n/9223372036854775807", "GET /n/9223372036854775808", "GET /n/١٢٣",
			"GET /f/1.5", "GET /f/١.٥",
		},
	},
	{
		// A catch-all <path:> page beside a folder-like rule.
		Name: "catch-all",
		Rules: []ruleSpec{
			rl("/", "index"),
			rl("/foo/", "foo"),
			rl("/<path:p>", "catch"),
		},
		Requests: []string{
			"GET /", "GET /foo/", "GET /foo", "GET /bar", "GET /bar/", "GET /foo/x", "GET /foo//", "POST /foo",
		},
		Builds: []buildSpec{
			bld("/", "catch", flasky.M{"p": "foo"}),
			bld("/", "catch", flasky.M{"p": "x/y/"}),
		},
	},
	{
		// A multi-tenant site: a page per user on <user>.example.com,
		// an api subdomain, the marketing pages on the bare domain.
		Name:              "subdomains",
		ServerName:        "example.com",
		SubdomainMatching: true,
		Rules: []ruleSpec{
			rl("/", "index"),
			rl("/pricing", "pricing"),
			rl("/", "user_home").sub("<user>"),
			rl("/dashboard", "dashboard").sub("<user>"),
			rl("/settings/", "settings").sub("<user>"),
			rl("/status", "api_status").sub("api"),
			rl("/v1/items/<int:id>", "api_item", "GET", "DELETE").sub("api"),
		},
		Requests: []string{
			"GET http://example.com/", "GET http://example.com/pricing", "GET http://example.com/dashboard",
			"GET http://alice.example.com/", "GET http://alice.example.com/dashboard", "GET http://alice.example.com/pricing",
			"GET http://alice.example.com/settings", "GET http://alice.example.com/settings/",
			"GET http://alice.example.com/settings?tab=2", "GET http://api.example.com/status", "GET http://api.example.com/",
			"GET http://api.example.com/v1/items/3", "DELETE http://api.example.com/v1/items/3",
			"POST http://api.example.com/v1/items/3", "GET http://bob.example.com/v1/items/3",
			"GET http://ALICE.Example.com/", "GET http://example.com:80/", "GET http://a.b.example.com/",
			"GET http://www.example.com/", "POST http://alice.example.com/", "GET http://other.org/",
			"GET /",
		},
		Builds: []buildSpec{
			bld("http://alice.example.com/", "user_home", flasky.M{"user": "bob"}),
			bld("http://alice.example.com/", "user_home", flasky.M{"user": "alice"}),
			bld("http://alice.example.com/", "dashboard", flasky.M{"user": "alice"}),
			bld("http://alice.example.com/", "dashboard", nil),
			bld("http://alice.example.com/", "index", nil),
			bld("http://alice.example.com/", "api_status", nil),
			bld("http://alice.example.com/", "api_item", flasky.M{"id": 3}),
			bld("http://alice.example.com/", "pricing", flasky.M{"_external": true}),
			bld("http://example.com/", "index", nil),
			bld("http://example.com/", "user_home", flasky.M{"user": "carol"}),
			bld("http://example.com/", "pricing", flasky.M{"_external": true, "_scheme": "https"}),
			bld("http://api.example.com/status", "api_item", flasky.M{"id": 9}),
			bld("http://api.example.com/status", "settings", flasky.M{"user": "api"}),
		},
	},
	{
		// Blueprints on subdomains, with www as the default subdomain:
		// the api blueprint on api.example.com/v1, an admin blueprint on
		// www under /admin, and a page on the bare domain.
		Name:              "subdomain-blueprints",
		ServerName:        "example.com",
		SubdomainMatching: true,
		DefaultSubdomain:  "www",
		Blueprints: []blueprintSpec{
			{Name: "api", URLPrefix: "/v1", Subdomain: "api"},
			{Name: "admin", URLPrefix: "/admin"},
		},
		Rules: []ruleSpec{
			rl("/", "index"),
			rl("/about", "about"),
			rl("/users", "users", "GET", "POST").bp("api"),
			rl("/users/<int:id>", "user").bp("api"),
			rl("/", "dashboard").bp("admin"),
			rl("/users/<int:id>/ban", "ban", "POST").bp("admin"),
			rl("/", "bare").sub(""),
		},
		Requests: []string{
			"GET http://www.example.com/", "GET http://example.com/", "GET http://www.example.com/about",
			"GET http://example.com/about", "GET http://api.example.com/v1/users", "POST http://api.example.com/v1/users",
			"GET http://api.example.com/v1/users/5", "GET http://www.example.com/v1/users", "GET http://www.example.com/admin/",
			"GET http://www.example.com/admin", "POST http://www.example.com/admin/users/5/ban",
			"GET http://www.example.com/admin/users/5/ban", "GET http://blog.example.com/", "GET http://api.example.com/",
		},
		Builds: []buildSpec{
			bld("http://www.example.com/", "index", nil),
			bld("http://www.example.com/", "bare", nil),
			bld("http://www.example.com/", "api.users", nil),
			bld("http://www.example.com/", "api.user", flasky.M{"id": 5}),
			bld("http://www.example.com/", "admin.dashboard", nil),
			bld("http://www.example.com/", "admin.ban", flasky.M{"id": 5}),
			bld("http://www.example.com/", "about", flasky.M{"_external": true}),
			bld("http://api.example.com/v1/users", "api.user", flasky.M{"id": 2}),
			bld("http://api.example.com/v1/users", "index", nil),
			bld("http://example.com/", "about", nil),
		},
	},
	{
		// Host matching: one app serving a main site, tenants on their
		// own hosts and an API host.
		Name:         "host-matching",
		HostMatching: true,
		Rules: []ruleSpec{
			rl("/", "home").host("example.com"),
			rl("/about", "about").host("example.com"),
			rl("/", "tenant_home").host("<tenant>.example.org"),
			rl("/projects/<int:id>", "tenant_project").host("<tenant>.example.org"),
			rl("/v1/status", "api_status").host("api.example.net"),
			rl("/", "dev_home").host("localhost:5000"),
			rl("/health", "health"),
		},
		Requests: []string{
			"GET http://example.com/", "GET http://example.com/about", "GET http://acme.example.org/",
			"GET http://acme.example.org/projects/3", "GET http://acme.example.org/about", "GET http://example.org/",
			"GET http://api.example.net/v1/status", "GET http://api.example.net/", "GET http://localhost:5000/",
			"GET http://localhost/", "GET http://a.b.example.org/", "POST http://example.com/about",
			"GET http://example.com/health",
		},
		Builds: []buildSpec{
			bld("http://example.com/", "home", nil),
			bld("http://example.com/", "about", flasky.M{"_external": true}),
			bld("http://example.com/", "tenant_home", flasky.M{"tenant": "acme"}),
			bld("http://example.com/", "tenant_project", flasky.M{"tenant": "acme", "id": 3}),
			bld("http://example.com/", "api_status", nil),
			bld("http://acme.example.org/", "tenant_project", flasky.M{"tenant": "acme", "id": 4}),
			bld("http://acme.example.org/", "tenant_project", flasky.M{"tenant": "other", "id": 4}),
			bld("http://acme.example.org/", "tenant_project", flasky.M{"id": 4}),
			bld("http://acme.example.org/", "home", nil),
		},
	},
	{
		// A shop: several variables in a segment (/product/12-blue-shirt),
		// categories as paths, orders by UUID, a cart that takes POSTs.
		Name: "shop",
		Rules: []ruleSpec{
			rl("/", "index"),
			rl("/product/<int:pid>-<slug>", "product"),
			rl("/product/<int:pid>", "product_by_id"),
			rl("/category/<path:cat>/product/<int:pid>", "category_product"),
			rl("/category/<path:cat>/", "category"),
			rl("/cart", "cart"),
			rl("/cart/add/<int:pid>", "cart_add", "POST"),
			rl("/checkout/", "checkout", "GET", "POST"),
			rl("/order/<uuid:order_id>", "order"),
			rl("/order/<uuid:order_id>/invoice.pdf", "invoice"),
			rl("/search", "search"),
			rl("/sku/<sku>.<any(html,json):fmt>", "sku"),
		},
		Requests: []string{
			"GET /product/12-blue-shirt", "GET /product/12", "GET /product/12-", "GET /product/x-blue",
			"GET /product/12-3-4", "GET /category/men/shirts/", "GET /category/men/shirts",
			"GET /category/men/shirts/product/9", "GET /category/product/9", "GET /cart", "POST /cart/add/5",
			"GET /cart/add/5", "GET /checkout", "POST /checkout", "GET /checkout/",
			"GET /order/6ba7b810-9dad-11d1-80b4-00c04fd430c8", "GET /order/6ba7b810-9dad-11d1-80b4-00c04fd430c8/invoice.pdf",
			"GET /order/not-a-uuid", "GET /search?q=%EC%85%94%EC%B8%A0&page=2", "GET /sku/AB-12.json",
			"GET /sku/AB-12.xml", "GET /sku/a.b.html", "GET /category/셔츠/",
		},
		Builds: []buildSpec{
			bld("/", "product", flasky.M{"pid": 12, "slug": "blue-shirt"}),
			bld("/", "product_by_id", flasky.M{"pid": 12}),
			bld("/", "category", flasky.M{"cat": "men/shirts"}),
			bld("/", "category_product", flasky.M{"cat": "men/shirts", "pid": 9}),
			bld("/", "order", flasky.M{"order_id": "6ba7b810-9dad-11d1-80b4-00c04fd430c8"}),
			bld("/", "search", flasky.M{"q": "셔츠", "page": 2}),
			bld("/", "search", flasky.M{"q": "a;b"}),
			bld("/", "sku", flasky.M{"sku": "AB-12", "fmt": "json"}),
			bld("/", "cart_add", flasky.M{"pid": 5}),
		},
	},
	{
		// A dated archive as static site generators lay it out:
		// /2024/05/17/slug/, with two-digit months and days.
		Name: "archive-dates",
		Rules: []ruleSpec{
			rl("/", "index"),
			rl("/<int:year>/", "year"),
			rl("/<int:year>/<int(fixed_digits=2):month>/", "month"),
			rl("/<int:year>/<int(fixed_digits=2):month>/<int(fixed_digits=2):day>/<slug>/", "post"),
			rl("/<slug>/", "page"),
		},
		Requests: []string{
			"GET /2024/", "GET /2024", "GET /2024/05/", "GET /2024/5/", "GET /2024/05/17/hello/",
			"GET /2024/05/17/hello", "GET /about/", "GET /about", "GET /2024/13/", "GET /0001/",
			"GET /2024/05/17/", "GET /abc/", "GET /2024x/",
		},
		Builds: []buildSpec{
			bld("/", "year", flasky.M{"year": 2024}),
			bld("/", "month", flasky.M{"year": 2024, "month": 5}),
			bld("/", "post", flasky.M{"year": 2024, "month": 5, "day": 7, "slug": "hi"}),
			bld("/", "page", flasky.M{"slug": "about"}),
		},
	},
	{
		// A site in several languages, with non-ASCII rules.
		Name: "i18n-unicode",
		Rules: []ruleSpec{
			rl("/", "root"),
			rl("/<any(en,ko,ja):lang>/", "home"),
			rl("/<any(en,ko,ja):lang>/about", "about"),
			rl("/한글", "hangul"),
			rl("/검색/<q>", "search_ko"),
			rl("/wiki/<path:title>", "wiki"),
			rl("/café/menu/", "menu"),
		},
		Requests: []string{
			"GET /en/", "GET /ko/", "GET /ko", "GET /fr/", "GET /ja/about", "GET /한글",
			"GET /%ed%95%9c%ea%b8%80", "GET /검색/파이썬", "GET /검색/a%2Fb", "GET /wiki/서울/역사",
			"GET /café/menu", "GET /cafe%CC%81/menu/", "GET /wiki/%F0%9F%90%8D", "GET /café/menu/",
		},
		Builds: []buildSpec{
			bld("/", "hangul", nil),
			bld("/", "search_ko", flasky.M{"q": "파이썬"}),
			bld("/", "wiki", flasky.M{"title": "서울/역사"}),
			bld("/", "menu", nil),
			bld("/", "home", flasky.M{"lang": "ko"}),
			bld("/", "about", flasky.M{"lang": "ja", "ref": "홈"}),
		},
	},
	{
		// Renamed pages kept as aliases, and a CDN URL that is only
		// built.
		Name: "aliases-build-only",
		Rules: []ruleSpec{
			rl("/docs/<path:page>", "docs"),
			rl("/documentation/<path:page>", "docs").alias(),
			rl("/help", "help"),
			rl("/faq", "help").alias(),
			rl("/cdn/<path:file>", "cdn").buildOnly(),
			rl("/about", "about"),
		},
		Requests: []string{
			"GET /docs/intro", "GET /documentation/intro", "GET /documentation/a/b?x=1", "GET /help",
			"GET /faq", "GET /faq?x=1", "GET /cdn/x.js", "GET /docs/a/b", "POST /faq",
		},
		Builds: []buildSpec{
			bld("/about", "docs", flasky.M{"page": "intro"}),
			bld("/about", "help", nil),
			bld("/about", "cdn", flasky.M{"file": "app.js"}),
		},
	},
	{
		// Maps and coordinates: floats, signed floats, two floats in a
		// segment.
		Name: "geo-floats",
		Rules: []ruleSpec{
			rl("/map/<float:lat>,<float:lng>", "map"),
			rl("/map/<float:lat>,<float:lng>/<int:zoom>", "map_zoom"),
			rl("/geo/<float(signed=True):lat>/<float(signed=True):lng>", "geo"),
			rl("/ratio/<float(min=0.5,max=2.0):r>", "ratio"),
			rl("/v<float:ver>/", "version"),
		},
		Requests: []string{
			"GET /map/37.5,127.0", "GET /map/37.5,127.0/12", "GET /map/37,127", "GET /map/-33.9,151.2",
			"GET /geo/-33.9/151.2", "GET /geo/37.50/-122.00", "GET /geo/1.5/2", "GET /ratio/1.0",
			"GET /ratio/3.0", "GET /ratio/0.25", "GET /v1.5/", "GET /v1.5", "GET /map/0.1,0.2",
			"GET /map/1234567890123456789.5,0.0", "GET /map/0.00001,0.0",
		},
		Builds: []buildSpec{
			bld("/v1.5/", "map", flasky.M{"lat": pyFloat(37.5), "lng": pyFloat(127.0)}),
			bld("/v1.5/", "map_zoom", flasky.M{"lat": pyFloat(37.5), "lng": pyFloat(127.0), "zoom": 12}),
			bld("/v1.5/", "geo", flasky.M{"lat": pyFloat(-33.9), "lng": pyFloat(151.2)}),
			bld("/v1.5/", "version", flasky.M{"ver": pyFloat(1.5)}),
			bld("/v1.5/", "map", flasky.M{"lat": 37, "lng": 127}),
			bld("/v1.5/", "ratio", flasky.M{"r": pyFloat(1.0)}),
			bld("/v1.5/", "map", flasky.M{"lat": pyFloat(1e-5), "lng": pyFloat(0)}),
		},
	},
	{
		// REST collections with trailing slashes: redirects come before
		// 405s, a static child before the <int:> one.
		Name: "rest-collections",
		Rules: []ruleSpec{
			rl("/projects/", "projects", "GET", "POST"),
			rl("/projects/new/", "new_project"),
			rl("/projects/<int:id>/", "project", "GET", "PUT", "DELETE"),
			rl("/projects/<int:id>/tasks/", "tasks", "GET", "POST"),
			rl("/projects/<int:id>/tasks/<int:tid>", "task", "GET", "PATCH"),
		},
		Requests: []string{
			"GET /projects/", "POST /projects/", "PUT /projects/", "GET /projects", "POST /projects",
			"GET /projects/new/", "GET /projects/new", "GET /projects/1/", "GET /projects/1",
			"DELETE /projects/1", "DELETE /projects/1/", "PATCH /projects/1/", "GET /projects/1/tasks/",
			"POST /projects/1/tasks", "GET /projects/1/tasks/2", "PATCH /projects/1/tasks/2",
			"GET /projects/1/tasks/2/", "DELETE /projects/1/tasks/2", "GET /projects/x/",
			"OPTIONS /projects/1/", "PATCH /projects/1",
		},
		Builds: []buildSpec{
			bld("/projects/", "projects", nil),
			bld("/projects/", "project", flasky.M{"id": 1}),
			bld("/projects/", "tasks", flasky.M{"id": 1}),
			bld("/projects/", "task", flasky.M{"id": 1, "tid": 2}),
			bld("/projects/", "project", flasky.M{"id": 1, "_method": "PUT"}),
			bld("/projects/", "new_project", nil),
		},
	},
	{
		// An admin in the style of Flask-Admin (model views with
		// new/edit/delete/export) and URLs kept from an old PHP site.
		Name: "admin-legacy",
		Rules: []ruleSpec{
			rl("/admin/", "admin_index"),
			rl("/admin/<model>/", "model_list"),
			rl("/admin/<model>/new/", "model_new", "GET", "POST"),
			rl("/admin/<model>/edit/", "model_edit", "GET", "POST"),
			rl("/admin/<model>/delete/", "model_delete", "POST"),
			rl("/admin/<model>/export/<any(csv,json):fmt>/", "model_export"),
			rl("/index.php", "legacy_index"),
			rl("/<page>.php", "legacy_php"),
			rl("/<path:p>.html", "legacy_html"),
		},
		Requests: []string{
			"GET /admin/", "GET /admin", "GET /admin/user/", "GET /admin/user", "GET /admin/user/new/",
			"POST /admin/user/new/", "GET /admin/user/edit/?id=3", "POST /admin/user/delete/",
			"GET /admin/user/delete/", "GET /admin/user/export/csv/", "GET /admin/user/export/xml/",
			"GET /admin/user/export/json", "GET /index.php", "GET /contact.php", "GET /a/b.php",
			"GET /docs/intro.html", "GET /.html", "GET /a.b.html", "GET /admin/new/", "POST /admin/user/delete",
		},
		Builds: []buildSpec{
			bld("/admin/", "model_list", flasky.M{"model": "user"}),
			bld("/admin/", "model_edit", flasky.M{"model": "user", "id": 3, "url": "/admin/user/"}),
			bld("/admin/", "model_export", flasky.M{"model": "post", "fmt": "csv"}),
			bld("/admin/", "legacy_php", flasky.M{"page": "contact"}),
			bld("/admin/", "legacy_html", flasky.M{"p": "docs/intro"}),
		},
	},
}

// rl is add_url_rule(rule, endpoint=endpoint, methods=methods).
func rl(rule, endpoint string, methods ...string) ruleSpec {
	return ruleSpec{Rule: rule, Endpoint: endpoint, Methods: methods}
}

func (r ruleSpec) defaults(m flasky.M) ruleSpec { r.Defaults = m; return r }
func (r ruleSpec) strict(b bool) ruleSpec       { r.StrictSlashes = &b; return r }
func (r ruleSpec) sub(s string) ruleSpec        { r.Subdomain = &s; return r }
func (r ruleSpec) host(h string) ruleSpec       { r.Host = h; return r }
func (r ruleSpec) bp(name string) ruleSpec      { r.Blueprint = name; return r }
func (r ruleSpec) alias() ruleSpec              { r.Alias = true; return r }
func (r ruleSpec) buildOnly() ruleSpec          { r.BuildOnly = true; return r }

// bld is url_for(endpoint, **values) in the view answering GET from.
func bld(from, endpoint string, values flasky.M) buildSpec {
	return buildSpec{From: from, Endpoint: endpoint, Values: values}
}
