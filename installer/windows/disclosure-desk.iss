; Inno Setup 6 script: the Windows installer of 政府信息公开办理台 (Disclosure Desk).
;
; Packs the PyInstaller one-folder bundle (dist\disclosure-desk, built by
; scripts\build_installer.py on Windows) into one setup program:
;   dist\installer\disclosure-desk-<version>-setup.exe
;
; Build (on Windows, after the bundle):
;   python scripts\build_installer.py            (runs ISCC itself when it is on PATH)
; or by hand:
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 installer\windows\disclosure-desk.iss
;
; The Simplified Chinese messages file is not shipped with Inno Setup: put
; ChineseSimplified.isl (https://jrsoftware.org/files/istrans/) beside this
; script or into Inno Setup's Languages folder.  See installer\README.md.
;
; Per-user by default (no administrator rights needed: installs into
; %LOCALAPPDATA%\Programs); the wizard offers "install for all users" and IT
; staff can choose on the command line: /ALLUSERS or /CURRENTUSER, with
; /VERYSILENT /SUPPRESSMSGBOXES /DIR="..." for unattended installs.
;
; The register database and backups live in the user's data folder
; (%LOCALAPPDATA%\DisclosureDesk) and are NEVER removed by the uninstaller:
; they are the agency's legal record.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef BundleDir
  #define BundleDir AddBackslash(SourcePath) + "..\..\dist\disclosure-desk"
#endif
#define AppName "政府信息公开办理台"
#define AppNameEn "Disclosure Desk"
#define AppExe "disclosure-desk.exe"
#define IconFile AddBackslash(SourcePath) + "..\..\resources\icons\app.ico"

#if FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
  #define ChineseMessages AddBackslash(SourcePath) + "ChineseSimplified.isl"
#elif FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
  #define ChineseMessages "compiler:Languages\ChineseSimplified.isl"
#else
  #error ChineseSimplified.isl not found: put it beside this script (see installer\README.md)
#endif

#if !FileExists(BundleDir + "\" + AppExe)
  #error The bundle is missing: run "python scripts\build_installer.py" first
#endif

[Setup]
; A fixed AppId: upgrades replace the previous version in place.
AppId={{6F1D5C2A-3B8E-4E7A-9C41-2D0B7A5E91C3}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppNameEn}
AppComments=政府信息公开申请台账、期限、文书与年度报告
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppName} 安装程序
DefaultDirName={autopf}\DisclosureDesk
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist\installer
OutputBaseFilename=disclosure-desk-{#AppVersion}-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
ShowLanguageDialog=no
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "chinesesimp"; MessagesFile: "{#ChineseMessages}"

[CustomMessages]
chinesesimp.TaskDesktopIcon=在桌面创建快捷方式
chinesesimp.TaskGroupIcons=快捷方式：
chinesesimp.ShortcutComment=政府信息公开申请登记、期限计算、文书打印与年度报告
chinesesimp.ShortcutDemo={#AppName}（演示数据）
chinesesimp.ShortcutDemoComment=打开约200件虚构申请的演示数据库，用于培训，不影响正式台账
chinesesimp.ShortcutUninstall=卸载{#AppName}
chinesesimp.LaunchNow=立即运行{#AppName}
chinesesimp.SelfTestRunning=正在检查安装是否完整……
chinesesimp.SelfTestFailed=安装后的自检没有通过（代码 %1）。程序可能无法正常使用，请联系技术人员，并告知以下命令的输出：%n%n"%2" --self-test
chinesesimp.DataKept=程序已卸载。%n%n申请台账数据库和备份没有删除，仍保存在：%n%1%n%n如确定不再需要，可由技术人员手动删除该文件夹。

[Tasks]
Name: "desktopicon"; Description: "{cm:TaskDesktopIcon}"; GroupDescription: "{cm:TaskGroupIcons}"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the program files completely (a stale module from an
; older bundle must not be picked up).  The data folder is elsewhere.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "{cm:ShortcutComment}"; AppUserModelID: "DisclosureDesk.App"
Name: "{group}\{cm:ShortcutDemo}"; Filename: "{app}\{#AppExe}"; Parameters: "--demo"; WorkingDir: "{app}"; Comment: "{cm:ShortcutDemoComment}"
Name: "{group}\{cm:ShortcutUninstall}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "{cm:ShortcutComment}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchNow}"; Flags: nowait postinstall skipifsilent

[Code]
{ After copying the files, run the bundle's self-test (temporary database,
  nothing shown) and warn when it fails, so a broken install is noticed at
  once rather than by a clerk with an applicant waiting. }
procedure CurStepChanged(CurStep: TSetupStep);
var
  ResultCode: Integer;
  Exe: String;
begin
  if CurStep = ssPostInstall then
  begin
    Exe := ExpandConstant('{app}\{#AppExe}');
    WizardForm.StatusLabel.Caption := CustomMessage('SelfTestRunning');
    if not Exec(Exe, '--self-test', ExpandConstant('{app}'), SW_HIDE, ewWaitUntilTerminated, ResultCode)
       or (ResultCode <> 0) then
      SuppressibleMsgBox(FmtMessage(CustomMessage('SelfTestFailed'), [IntToStr(ResultCode), Exe]),
                         mbError, MB_OK, IDOK);
  end;
end;

{ Tell the clerk where the data stayed (never deleted by the uninstaller). }
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
begin
  if CurUninstallStep = usPostUninstall then
  begin
    DataDir := ExpandConstant('{localappdata}\DisclosureDesk');
    if DirExists(DataDir) and not UninstallSilent then
      MsgBox(FmtMessage(CustomMessage('DataKept'), [DataDir]), mbInformation, MB_OK);
  end;
end;
