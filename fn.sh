screens() {
  { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 1
  printf 'GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
  local body all=0 customers=0
  body=$(cat <&3)
  exec 3>&-
  [[ $body =~ \"screens\":([0-9]+) ]] && all=${BASH_REMATCH[1]}
  [[ $body =~ \"customerScreens\":([0-9]+) ]] && customers=${BASH_REMATCH[1]}
  if [ "$role" = customer ]; then [ "$customers" -gt 0 ]; else [ $((all - customers)) -gt 0 ]; fi
}
