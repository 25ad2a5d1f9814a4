#!/bin/sh
# Removed with the Kassa .deb: the kiosk service and device rules (the sales data in /var/lib/kassa stays).
set -e
if command -v systemctl >/dev/null 2>&1; then systemctl disable kassa-kiosk.service 2>/dev/null || true; fi
rm -f /etc/systemd/system/kassa-kiosk.service /etc/udev/rules.d/60-kassa-devices.rules
if command -v systemctl >/dev/null 2>&1; then systemctl daemon-reload || true; fi
if command -v udevadm >/dev/null 2>&1; then udevadm control --reload-rules || true; fi
