#!/bin/sh
# Installed by the Kassa .deb: the kiosk user, device permissions and the kiosk service.
set -e
RES=/opt/Kassa/resources/linux
getent group kassa >/dev/null || groupadd --system kassa
getent passwd kassa >/dev/null || useradd --system --gid kassa --home-dir /var/lib/kassa --create-home --shell /usr/sbin/nologin kassa
install -m 0644 "$RES/60-kassa-devices.rules" /etc/udev/rules.d/60-kassa-devices.rules
install -m 0644 "$RES/kassa-kiosk.service" /etc/systemd/system/kassa-kiosk.service
if command -v udevadm >/dev/null 2>&1; then udevadm control --reload-rules && udevadm trigger || true; fi
if command -v systemctl >/dev/null 2>&1; then systemctl daemon-reload && systemctl enable kassa-kiosk.service || true; fi
