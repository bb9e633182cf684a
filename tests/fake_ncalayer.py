"""A fake NCALayer (issue 14 point 4): the NCA's signing application listens on a websocket on the person's
computer (wss://127.0.0.1:13579); this one listens on ws://127.0.0.1:<port> in a thread and speaks the
protocol the vendored client (web/static/vendor/ncalayer-client.js, ncalayer-js-client 1.5.6) speaks:

- on connect it sends `{"result": {"version": "1.4"}}` (the client's `connect()` waits for the version);
- `{"module": "kz.digiflow.mobile.extensions", "method": "getVersion"}` (the client asking whether it is
  KAZTOKEN mobile/desktop) is answered as NCALayer answers an unknown module, `{"code": "500", ...}`;
- `{"module": "kz.gov.pki.knca.commonUtils", "method": "createCMSSignatureFromBase64" or
  "createCAdESFromBase64", "args": [storage, keyType, base64 data, attach]}` is answered
  `{"code": "200", "responseObject": "<base64 DER CMS>"}`: the data signed with the key of the type asked for,
  as NCALayer offers only the person's keys of that type: `key` for "AUTHENTICATION" (the sign-in), `signing_key`
  for "SIGNATURE" (an act); tests/eds_pki.py's `cms`: attached content, signed attributes, the signer's
  certificate. A type the fake holds no key of is answered as NCALayer answers it, `{"code": "500", ...}`;
- with `cancel = True` the person closes NCALayer's key dialog: `{"code": "500", "message": "action.canceled"}`.

`requests` keeps every request it was sent (the tests check the client asked for the authentication key
with the content attached, and which key type). `holds(pki)` gives it both keys of the test person:
`pki.person` (authentication) and `pki.signing_only` (signing). wsproto is sans-IO: the socket here is read
and written by hand."""
from __future__ import annotations

import base64
import json
import socket
import threading

from wsproto import ConnectionType, WSConnection
from wsproto.events import AcceptConnection, CloseConnection, Message, Ping, Request, TextMessage

from .eds_pki import Issued, cms


class FakeNcaLayer:
    def __init__(self, key: Issued | None = None, signing_key: Issued | None = None):
        self.key, self.signing_key, self.cancel, self.requests = key, signing_key, False, []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.url = f"ws://127.0.0.1:{self.sock.getsockname()[1]}"
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def holds(self, pki) -> "FakeNcaLayer":
        """The test person's two keys, as his NCALayer storage holds them: AUTH_RSA and RSA (signing)."""
        self.key, self.signing_key, self.cancel = pki.person, pki.signing_only, False
        return self

    def close(self) -> None:
        self.running = False
        try:
            self.sock.close()
        except OSError:
            pass

    def _accept(self) -> None:
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def answer(self, request: dict) -> dict:
        self.requests.append(request)
        if request.get("module") != "kz.gov.pki.knca.commonUtils":
            return {"code": "500", "message": "module not found"}
        if request.get("method") not in ("createCMSSignatureFromBase64", "createCAdESFromBase64"):
            return {"code": "500", "message": "method not supported"}
        if self.cancel:
            return {"code": "500", "message": "action.canceled"}
        _storage, key_type, data, attach = request["args"]
        assert attach is True, "the fake signs attached content only"
        key = {"AUTHENTICATION": self.key, "SIGNATURE": self.signing_key}.get(key_type)
        if key is None:
            return {"code": "500", "message": f"no key of type {key_type} in the storage"}
        return {"code": "200", "responseObject": cms(base64.b64decode(data), key)}

    def _serve(self, conn: socket.socket) -> None:
        ws = WSConnection(ConnectionType.SERVER)
        try:
            while True:
                data = conn.recv(65536)
                if not data:
                    return
                ws.receive_data(data)
                for event in ws.events():
                    if isinstance(event, Request):
                        conn.sendall(ws.send(AcceptConnection()))
                        conn.sendall(ws.send(Message(data=json.dumps({"result": {"version": "1.4"}}))))
                    elif isinstance(event, TextMessage):
                        reply = self.answer(json.loads(event.data))
                        conn.sendall(ws.send(Message(data=json.dumps(reply))))
                    elif isinstance(event, Ping):
                        conn.sendall(ws.send(event.response()))
                    elif isinstance(event, CloseConnection):
                        conn.sendall(ws.send(event.response()))
                        return
        except (OSError, ValueError):
            return
        finally:
            conn.close()
