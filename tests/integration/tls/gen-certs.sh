#!/bin/sh
# The loopback HTTPS receiver's certificates for the integration tests (OpenSSL 3.x), valid
# 100 years. TEST ONLY: server.key is published with the repository and protects nothing.
# ca.crt       -> what the client trusts (--cacert ca.crt)
# server.crt   -> leaf for localhost / 127.0.0.1 / ::1, signed by ca.crt (its key: server.key)
# The CA's key is deleted once the leaf is signed: rerunning makes a new CA and a new leaf.
# NB: plain `openssl req -x509` marks the cert CA:TRUE; rustls/webpki rejects that as a server
#     certificate (CaUsedAsEndEntity), even when it is the trusted root. Hence CA:FALSE below.
set -eu
cd "$(dirname "$0")"
SAN="subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1"

# 1. tiny CA (CN deliberately not "localhost": Debian's ssl-cert-snakeoil.pem in /etc/ssl/certs is CN=localhost)
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -sha256 -days 36500 \
  -subj "/CN=hooktool test CA" \
  -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout ca.key -out ca.crt

# 2. leaf for the loopback server, signed by the CA
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -sha256 \
  -subj "/CN=localhost" -keyout server.key -out server.csr
printf '%s\n' "$SAN" \
  "basicConstraints=critical,CA:FALSE" \
  "keyUsage=critical,digitalSignature" \
  "extendedKeyUsage=serverAuth" \
  "subjectKeyIdentifier=hash" \
  "authorityKeyIdentifier=keyid" > server.ext
openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -set_serial 0x$(openssl rand -hex 16) \
  -sha256 -days 36500 -extfile server.ext -out server.crt
rm -f server.csr server.ext
openssl verify -CAfile ca.crt server.crt

rm -f ca.key ca.srl
chmod 644 server.key
