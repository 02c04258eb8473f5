#!/usr/bin/env bash
# Regenerates nginx-access.log: runs Debian's nginx on loopback (IPv4 and IPv6, HTTP/1.x and h2c), sends it the
# requests below with curl and raw sockets, and keeps the access log nginx wrote (its default "combined" format).
# Needs: apt-get install nginx curl. Not run by the build: its output is committed as a test fixture.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'nginx -p "$work" -c "$work/nginx.conf" -s stop 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/html/pages" "$work/logs"
chmod 755 "$work"
echo hello > "$work/html/index.html"
echo page > "$work/html/pages/create"
cat > "$work/nginx.conf" <<CONF
daemon on;
pid $work/nginx.pid;
error_log $work/logs/error.log;
events {}
http {
  access_log $work/logs/access.log combined;
  client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
  large_client_header_buffers 4 64k;
  server {
    listen 127.0.0.1:18080 http2;
    listen [::1]:18080 http2;
    listen 127.0.0.1:18081;
    root $work/html;
    location /private { auth_basic "x"; auth_basic_user_file $work/htpasswd; }
  }
}
CONF
printf 'frank:%s\n' "$(openssl passwd -apr1 secret)" > "$work/htpasswd"
chmod 644 "$work/htpasswd" "$work/html/index.html" "$work/html/pages/create"
nginx -p "$work" -c "$work/nginx.conf"
sleep 0.5
h1=http://127.0.0.1:18081
curl -s -o /dev/null "$h1/"
curl -s -o /dev/null "$h1/pages/create?x=1&y=2"
curl -s -o /dev/null -A 'Mozilla/5.0 (X11; Linux x86_64) "quoted" agent' -e 'http://example.com/from?a="b"' "$h1/pages/create"
curl -s -o /dev/null -u frank:secret "$h1/private/report"
curl -s -o /dev/null "$h1/missing"
curl -s -o /dev/null -X POST -d 'a=1' "$h1/pages/create"
curl -s -o /dev/null -I "$h1/"
curl -s -o /dev/null "$h1/$(head -c 6000 /dev/zero | tr '\0' 'a')?q=$(head -c 2000 /dev/zero | tr '\0' 'b')"
curl -s -o /dev/null --http2-prior-knowledge "http://127.0.0.1:18080/pages/create"
curl -s -o /dev/null --http2-prior-knowledge -g "http://[::1]:18080/ipv6/path?z=1"
curl -s -o /dev/null -g "http://[::1]:18080/"  || true
curl -s -o /dev/null --path-as-is "$h1/%1B%5B31mred%1B%5B0m"
printf 'GARBAGE\r\n\r\n' | timeout 2 nc -q1 127.0.0.1 18081 > /dev/null || true
printf 'GET /with space HTTP/1.1\r\nHost: x\r\n\r\n' | timeout 2 nc -q1 127.0.0.1 18081 > /dev/null || true
printf 'GET /q"uote\x1b[2J HTTP/1.1\r\nHost: x\r\nUser-Agent: esc\x1b]0;title\x07\r\n\r\n' | timeout 2 nc -q1 127.0.0.1 18081 > /dev/null || true
printf '\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03' | timeout 2 nc -q1 127.0.0.1 18081 > /dev/null || true
sleep 0.5
cp "$work/logs/access.log" "$here/nginx-access.log"
wc -l "$here/nginx-access.log"
