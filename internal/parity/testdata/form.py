# Slides 26 and 27: a page with a form, its values read from the query
# string (GET /formget) and from the body (POST /form).
#
# Unlike the slide, the values are escaped with markupsafe.escape, as the
# Go example (examples/form) escapes them with html.EscapeString: the
# slide's code would run a <script> sent as name.
# Usage: python3 form.py PORT
import sys

from flask import Flask, request
from markupsafe import escape

app = Flask(__name__)


@app.route("/")
def index():
    return (
        '<form action="formget">'
        'name : <input type="text" name="name"> <br>'
        'email : <input type="text" name="email"> <br>'
        '<input type="submit" value="send">'
        "</form>"
    )


def answer(name, email):
    # str(): adding plain str to Markup would escape the "<br/>" too.
    return "name = " + str(escape(name)) + "<br/>email = " + str(escape(email)) + "<br/>"


@app.route("/formget")
def formget():
    # A missing field is "" (the Go example's c.Args.Get), not None.
    name = request.args.get("name", "")
    email = request.args.get("email", "")
    return answer(name, email)


@app.route("/form", methods=["POST"])
def form():
    name = request.form.get("name", "")
    email = request.form.get("email", "")
    return answer(name, email)


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8080
    app.run(host="127.0.0.1", port=port)
