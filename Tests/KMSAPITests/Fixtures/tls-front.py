"""A TLS front for a plain HTTP server on loopback, for the CA bundle tests.

Each connection either starts TLS at once (an HTTPS endpoint), or first sends an HTTP CONNECT
and then starts TLS with this front's own certificate, as a TLS-inspecting proxy does. Either
way the decrypted bytes are relayed to 127.0.0.1:UPSTREAM_PORT.

Usage: tls-front.py CERT_FILE KEY_FILE UPSTREAM_PORT
Prints "READY <port>" once it listens, then "CONNECT <target>" for each tunnel it is asked for.
"""
import socket
import ssl
import sys
import threading


def pump(source, destination):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            destination.sendall(data)
    except OSError:
        pass
    finally:
        try:
            destination.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def read_connect(client):
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = client.recv(4096)
        if not chunk:
            return None
        head += chunk
    request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
    method, target = (request_line.split(" ") + ["", ""])[:2]
    return target if method == "CONNECT" else None


def handle(client, context, upstream_port):
    try:
        first = client.recv(1, socket.MSG_PEEK)
        if first and first != b"\x16":  # not a TLS ClientHello: a proxy request
            target = read_connect(client)
            if target is None:
                client.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
                return
            print("CONNECT " + target, flush=True)
            client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        secure = context.wrap_socket(client, server_side=True)
        upstream = socket.create_connection(("127.0.0.1", upstream_port))
        back = threading.Thread(target=pump, args=(upstream, secure), daemon=True)
        back.start()
        pump(secure, upstream)
        back.join()
        upstream.close()
    except (OSError, ssl.SSLError):
        pass
    finally:
        client.close()


def main():
    cert_file, key_file, upstream_port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(32)
    print("READY %d" % listener.getsockname()[1], flush=True)
    while True:
        client, _ = listener.accept()
        threading.Thread(target=handle, args=(client, context, upstream_port), daemon=True).start()


if __name__ == "__main__":
    main()
