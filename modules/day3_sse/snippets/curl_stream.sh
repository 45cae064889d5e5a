curl -N "http://127.0.0.1:8000/stream?prompt=hello"
