#!/bin/sh
# Runs inside the image's root (chroot) after mmdebstrap installed the packages and image/build.ts
# copied image/rootfs/ and the Kassa bundle in. Users, services, locks, initramfs.
set -eu
# Fixed ids: the data partition outlives the OS, so a new OS must see the same owners on it.
groupadd --system --gid 900 kassa
useradd --system --uid 900 --gid kassa --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin kassa
groupadd --system --gid 901 kassa-kiosk
useradd --system --uid 901 --gid kassa-kiosk --groups video,input,render --home-dir /run/kassa-kiosk --no-create-home --shell /usr/sbin/nologin kassa-kiosk
# No password login at all: root locked, no getty anywhere (the serial console only shows output).
passwd -l root
for unit in getty@.service serial-getty@.service autovt@.service console-getty.service container-getty@.service getty.target; do
  systemctl mask "$unit"
done
# No SSH server is installed; no listener but the core's (loopback) and resolved's stub (loopback).
systemctl enable systemd-networkd.service systemd-resolved.service systemd-timesyncd.service
systemctl enable seatd.service
# sway's package depends on polkitd; nothing in the kiosk asks polkit (seatd hands out the seat, the
# core's OS updates go through root's own units): masked, so no one gets a way to ask for more.
systemctl mask polkit.service
# kassa-data.service has no [Install]: the data mount in fstab pulls it in.
systemctl enable kassa-token.service kassa-core.service kassa-kiosk.service
# OS updates (docs/design.md "OS updates"): the root side of the core's handover, and "ready to
# sell" re-arming the booted slot's boot counting. systemd's own bless-boot would drop the counter
# as soon as boot-complete.target is reached (long before the core is ready): masked.
systemctl enable kassa-os-install.path kassa-os-reboot.path kassa-boot-good.service
systemctl mask systemd-bless-boot.service
chmod 0644 /etc/rauc/system.conf
systemctl set-default graphical.target
ln -sf /run/systemd/resolve/stub-resolv.conf /etc/resolv.conf
mkdir -p /etc/systemd/resolved.conf.d
printf '[Resolve]\nLLMNR=no\nMulticastDNS=no\n' > /etc/systemd/resolved.conf.d/kassa.conf
# Logs in RAM (the root is read-only; the core's own logs and journal live in its database).
mkdir -p /etc/systemd/journald.conf.d
printf '[Journal]\nStorage=volatile\nRuntimeMaxUse=64M\n' > /etc/systemd/journald.conf.d/kassa.conf
printf 'kassa\n' > /etc/hostname
# Empty machine-id: systemd makes a new one each boot (the image is the same on every terminal).
: > /etc/machine-id
rm -f /var/lib/dbus/machine-id
mkdir -p /var/lib/kassa /media /efi
cat > /etc/fstab <<'FSTAB'
# The root is the booted slot's squashfs under a RAM overlay (initramfs: kassa-overlay).
# nofail: without its data the terminal still boots (the core, which requires it, does not start).
/dev/disk/by-partlabel/kassa-data /var/lib/kassa ext4 noatime,nofail,x-systemd.growfs,x-systemd.requires=kassa-data.service 0 0
tmpfs /tmp tmpfs mode=1777,nosuid,nodev 0 0
# The ESP: systemd-boot's entries (boot counting) and each slot's kernel; root only. No fsck (no dosfstools).
/dev/disk/by-partlabel/kassa-esp /efi vfat umask=0077,noexec,nosuid,nodev,flush,nofail,x-systemd.device-timeout=30s 0 0
FSTAB
# The initramfs: squashfs and overlay for the root slot; every storage and display driver.
printf 'squashfs\noverlay\n' >> /etc/initramfs-tools/modules
sed -i 's/^COMPRESS=.*/COMPRESS=zstd/' /etc/initramfs-tools/initramfs.conf
update-initramfs -c -k all
# Nothing in the image depends on apt at run time: drop its lists and caches.
rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/debconf/*-old /var/lib/dpkg/*-old
