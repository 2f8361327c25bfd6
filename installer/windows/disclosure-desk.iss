; Inno Setup script: the Windows installer of 政府信息公开办理台 (Disclosure Desk).
;
; Needs Inno Setup 7.0.2 or later (https://jrsoftware.org/isdl.php, the
; 64-bit edition): from that version on, Inno Setup itself ships the
; official Simplified Chinese messages file (Languages\ChineseSimplified.isl),
; so nothing has to be fetched by hand.  Inno Setup 6.3 – 7.0.1 work too
; when ChineseSimplified.isl (https://jrsoftware.org/files/istrans/) is put
; beside this script; older versions are refused (x64compatible needs 6.3).
;
; Packs the PyInstaller one-folder bundle (dist\disclosure-desk, built by
; scripts\build_installer.py on Windows) into one setup program:
;   dist\installer\disclosure-desk-<version>-setup.exe
;
; Build (on Windows, after the bundle):
;   python scripts\build_installer.py            (runs ISCC itself when it is on PATH)
; or by hand:
;   "C:\Program Files\Inno Setup 7\ISCC.exe" /DAppVersion=0.1.0 installer\windows\disclosure-desk.iss
; docs\windows-build-checklist.md is the whole procedure, with what to look at.
;
; Per-user by default (no administrator rights needed: installs into
; %LOCALAPPDATA%\Programs); the wizard offers "install for all users" and IT
; staff can choose on the command line: /ALLUSERS or /CURRENTUSER, with
; /VERYSILENT /SUPPRESSMSGBOXES /DIR="..." for unattended installs.
;
; The register database and backups live in each user's own data folder
; (%LOCALAPPDATA%\DisclosureDesk of the user who works with the app, also
; after an all-users install) and are NEVER removed by the uninstaller:
; they are the agency's legal record.

#if Ver < EncodeVer(6, 3, 0, 0)
  #error Inno Setup 6.3 or later is needed (7.0.2 or later recommended: it ships the Chinese messages)
#endif

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

; The Simplified Chinese messages: Inno Setup's own (7.0.2 and later), else
; a copy beside this script (older versions).
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
  #define ChineseMessages "compiler:Languages\ChineseSimplified.isl"
#elif FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
  #define ChineseMessages AddBackslash(SourcePath) + "ChineseSimplified.isl"
#else
  #error This Inno Setup has no Languages\ChineseSimplified.isl: install Inno Setup 7.0.2 or later (see docs\windows-build-checklist.md)
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
#if Ver >= EncodeVer(7, 0, 0, 0)
; Inno Setup 7: a 64-bit setup program for a 64-bit application
SetupArchitecture=x64
#endif
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
chinesesimp.DataKeptAllUsers=程序已为所有用户卸载。%n%n申请台账数据库和备份没有删除：它们保存在每位用户自己的数据文件夹（C:\Users\<用户名>\AppData\Local\DisclosureDesk）中。本机找到的有：%n%1%n如确定不再需要，可由技术人员逐个手动删除。
chinesesimp.DataKeptNone=（在 %1 下没有找到；用户配置文件在其他位置时请在那里查找）

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

{ The data folders of this PC's users (C:\Users\*\AppData\Local\DisclosureDesk),
  one a line. }
function UserDataFolders(const Users: String): String;
var
  FindRec: TFindRec;
  Dir: String;
begin
  Result := '';
  if FindFirst(Users + '*', FindRec) then
  try
    repeat
      if ((FindRec.Attributes and FILE_ATTRIBUTE_DIRECTORY) <> 0) and (FindRec.Name <> '.') and (FindRec.Name <> '..') then
      begin
        Dir := Users + FindRec.Name + '\AppData\Local\DisclosureDesk';
        if DirExists(Dir) then
          Result := Result + Dir + #13#10;
      end;
    until not FindNext(FindRec);
  finally
    FindClose(FindRec);
  end;
end;

{ Tell where the data stayed (never deleted by the uninstaller).  The app
  keeps each user's register in that user's own %LOCALAPPDATA%; after an
  all-users install the uninstaller runs as an administrator, whose own
  folder is not the clerks': list every user's folder found. }
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir, Users, Found: String;
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
  begin
    if IsAdminInstallMode then
    begin
      Users := ExpandConstant('{%SystemDrive|C:}') + '\Users\';
      Found := UserDataFolders(Users);
      if Found = '' then
        Found := FmtMessage(CustomMessage('DataKeptNone'), [Users]);
      MsgBox(FmtMessage(CustomMessage('DataKeptAllUsers'), [Found]), mbInformation, MB_OK);
    end
    else
    begin
      DataDir := ExpandConstant('{localappdata}\DisclosureDesk');
      if DirExists(DataDir) then
        MsgBox(FmtMessage(CustomMessage('DataKept'), [DataDir]), mbInformation, MB_OK);
    end;
  end;
end;
