"""Writes werkzeug_hashes.json: password hashes made by the local Werkzeug,
which password_test.go checks flasky reads. Run from this folder:
python3 make_hashes.py"""
import importlib.metadata
import json

from werkzeug.security import check_password_hash, generate_password_hash

cases = [
    ("hunter2", "scrypt", 16),
    ("비밀번호 🔑", "scrypt", 16),
    ("", "scrypt:16384:8:1", 16),
    ("p@ss$word:with:colons", "scrypt:1024:4:2", 8),
    ("hunter2", "pbkdf2", 16),
    ("hunter2", "pbkdf2:sha256:1000", 16),
    ("비밀번호 🔑", "pbkdf2:sha256:600000", 16),
    ("hunter2", "pbkdf2:sha1:1000", 4),
    ("hunter2", "pbkdf2:sha224:1000", 16),
    ("hunter2", "pbkdf2:sha384:1000", 16),
    ("hunter2", "pbkdf2:sha512:2000", 32),
    ("hunter2", "pbkdf2:md5:1000", 16),
    ("hunter2", "pbkdf2:sha3_256:1000", 16),
    ("hunter2", "pbkdf2:sha3_512:1000", 16),
]
out = {"werkzeug": importlib.metadata.version("werkzeug"), "hashes": []}
for password, method, salt_length in cases:
    h = generate_password_hash(password, method=method, salt_length=salt_length)
    assert check_password_hash(h, password)
    out["hashes"].append({"password": password, "method": method, "hash": h})
with open("werkzeug_hashes.json", "w", encoding="utf-8") as f:
    json.dump(out, f, ensure_ascii=False, indent=1)
    f.write("\n")
