# Slide 23 (home.py): one route that answers "hello~~".
# Usage: python3 hello.py PORT
import sys

from flask import Flask

app = Flask(__name__)


@app.route("/")
def home():
    return "hello~~"


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8080
    app.run(host="127.0.0.1", port=port)
