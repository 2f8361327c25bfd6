#!/bin/sh
# Install 政府信息公开办理台 (Disclosure Desk) from this unpacked folder on a
# Linux desktop (统信UOS, 麒麟, Debian/Ubuntu …).  No Python needed.
#
#   ./install.sh              install for the current user (~/.local)
#   sudo ./install.sh --system  install for every user (/opt, /usr/local/bin, /usr/share)
#   ./install.sh --uninstall  [--system]  remove the program (never the data)
#
# The register database and its backups (~/.local/share/DisclosureDesk by
# default) are never touched: they are the agency's legal record.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
MODE=user
ACTION=install
for arg in "$@"; do
  case "$arg" in
    --system) MODE=system ;;
    --uninstall) ACTION=uninstall ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "未知参数：$arg" >&2; exit 2 ;;
  esac
done

if [ "$MODE" = system ]; then
  [ "$(id -u)" = 0 ] || { echo "为所有用户安装需要管理员权限：sudo $0 --system" >&2; exit 2; }
  PREFIX=/opt/disclosure-desk; BIN=/usr/local/bin; SHARE=/usr/share
else
  PREFIX="$HOME/.local/opt/disclosure-desk"; BIN="$HOME/.local/bin"; SHARE="${XDG_DATA_HOME:-$HOME/.local/share}"
fi
APPS="$SHARE/applications"
ICONS="$SHARE/icons/hicolor"

refresh() {
  command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$APPS" 2>/dev/null || true
  command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$ICONS" 2>/dev/null || true
}

if [ "$ACTION" = uninstall ]; then
  rm -rf "$PREFIX"
  rm -f "$BIN/disclosure-desk" "$APPS/disclosure-desk.desktop"
  for s in 16 24 32 48 64 128 256; do rm -f "$ICONS/${s}x${s}/apps/disclosure-desk.png"; done
  refresh
  echo "已卸载政府信息公开办理台。申请台账数据和备份没有删除。"
  exit 0
fi

[ -x "$HERE/disclosure-desk" ] || { echo "找不到 $HERE/disclosure-desk：请在解压后的文件夹中运行本脚本。" >&2; exit 2; }

# Copy the program (replacing an older version completely).
mkdir -p "$(dirname "$PREFIX")"
rm -rf "$PREFIX.new"
mkdir -p "$PREFIX.new"
cp -a "$HERE/." "$PREFIX.new/"
rm -rf "$PREFIX"
mv "$PREFIX.new" "$PREFIX"

mkdir -p "$BIN" "$APPS"
ln -sf "$PREFIX/disclosure-desk" "$BIN/disclosure-desk"
for s in 16 24 32 48 64 128 256; do
  src="$PREFIX/_internal/resources/icons/app-$s.png"
  if [ -f "$src" ]; then
    mkdir -p "$ICONS/${s}x${s}/apps"
    cp "$src" "$ICONS/${s}x${s}/apps/disclosure-desk.png"
  fi
done
sed "s|@EXEC@|$PREFIX/disclosure-desk|g" "$PREFIX/disclosure-desk.desktop" > "$APPS/disclosure-desk.desktop"
chmod 644 "$APPS/disclosure-desk.desktop"
refresh

# Check the installed copy works (temporary database): on the real display
# when there is one and this is the user's own install (the window must
# really open there; the self-test names any X library still missing),
# else offscreen (a root install may not reach the user's display; the
# self-test then still lists what the desktop would lack).
if [ "$MODE" = user ] && [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  selftest() { "$PREFIX/disclosure-desk" --self-test; }
else
  selftest() { QT_QPA_PLATFORM=offscreen "$PREFIX/disclosure-desk" --self-test; }
fi
if selftest; then
  echo "安装完成：可在应用菜单“办公”中找到“政府信息公开办理台”，或在终端运行 disclosure-desk。"
else
  echo "警告：安装后的自检没有通过，请把以上输出发给技术人员。" >&2
  exit 1
fi
