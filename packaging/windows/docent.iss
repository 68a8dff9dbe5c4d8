; Inno Setup 6 script: the Docent kiosk installer for Windows 10/11 (x64), from the one-folder bundle built on Windows.
;
;   .venv\Scripts\python packaging\build_bundle.py            -> dist\docent\ (kiosk.exe, Docent.exe, _internal\)
;   "%ProgramFiles(x86)%\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 packaging\windows\docent.iss
;                                                             -> dist\docent-kiosk-0.1.0-setup.exe
;
; It installs the bundle in Program Files\Docent, keeps the kiosk's data (kiosk.yaml, packs, speech models, logs) in
; ProgramData\Docent (DOCENT_HOME, set machine-wide), adds Start-menu entries, and optionally a scheduled task that
; starts the kiosk whenever someone signs in. A locked-down kiosk uses Shell Launcher v2 instead: packaging/README.md.
; kiosk.exe is the command line (a console program); Docent.exe is the same program without a console window.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define BundleDir "..\..\dist\docent"
#define DataDir "{commonappdata}\Docent"

[Setup]
AppId={{3F6E2B7A-8C41-4D5E-9A0B-6C7D8E9F1A2B}
AppName=Docent kiosk
AppVersion={#AppVersion}
AppVerName=Docent kiosk {#AppVersion}
AppPublisher=Docent project
DefaultDirName={autopf}\Docent
DefaultGroupName=Docent
DisableProgramGroupPage=yes
OutputDir=..\..\dist
OutputBaseFilename=docent-kiosk-{#AppVersion}-setup
; Most of the bundle is the speech model, which hardly compresses: fast compression, not solid, so setup starts fast.
Compression=lzma2/fast
SolidCompression=no
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0.17763
PrivilegesRequired=admin
ChangesEnvironment=yes
CloseApplications=yes
WizardStyle=modern
UninstallDisplayIcon={app}\kiosk.exe
UninstallDisplayName=Docent kiosk

[Tasks]
Name: "autostart"; Description: "Start the kiosk full screen whenever someone signs in to this PC (a scheduled task)"; GroupDescription: "Starting the kiosk:"

[Dirs]
; Users may write the kiosk's data (the kiosk runs as a normal user); only administrators change the program.
Name: "{#DataDir}"; Permissions: users-modify
Name: "{#DataDir}\packs"; Permissions: users-modify

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "docent-kiosk-task.xml"; DestDir: "{app}"; Flags: ignoreversion
; The first kiosk.yaml; an existing one (a reinstall, an update) is never replaced, nor removed on uninstall.
Source: "kiosk.yaml"; DestDir: "{#DataDir}"; Flags: onlyifdoesntexist uninsneveruninstall
Source: "..\README.md"; DestDir: "{app}"; DestName: "README.md"; Flags: ignoreversion

[Registry]
; DOCENT_HOME for every account, so the kiosk, kiosk doctor and staff commands all use ProgramData\Docent.
Root: HKLM; Subkey: "SYSTEM\CurrentControlSet\Control\Session Manager\Environment"; ValueType: expandsz; ValueName: "DOCENT_HOME"; ValueData: "{#DataDir}"; Flags: uninsdeletevalue

[Icons]
Name: "{group}\Docent kiosk"; Filename: "{app}\Docent.exe"; Parameters: "run"; WorkingDir: "{#DataDir}"
Name: "{group}\Docent kiosk in a window (preview)"; Filename: "{app}\Docent.exe"; Parameters: "run --windowed"; WorkingDir: "{#DataDir}"
Name: "{group}\Check this kiosk (kiosk doctor)"; Filename: "{cmd}"; Parameters: "/k ""set DOCENT_HOME={#DataDir}&& ""{app}\kiosk.exe"" doctor"""; WorkingDir: "{#DataDir}"
Name: "{group}\Smoke test (kiosk run --smoke)"; Filename: "{cmd}"; Parameters: "/k ""set DOCENT_HOME={#DataDir}&& ""{app}\kiosk.exe"" run --smoke"""; WorkingDir: "{#DataDir}"
Name: "{group}\Kiosk command prompt"; Filename: "{cmd}"; Parameters: "/k ""set DOCENT_HOME={#DataDir}&& set PATH={app};%PATH%&& kiosk --help"""; WorkingDir: "{#DataDir}"
Name: "{group}\Kiosk settings (kiosk.yaml)"; Filename: "{win}\notepad.exe"; Parameters: """{#DataDir}\kiosk.yaml"""
Name: "{group}\Curators' editor"; Filename: "{app}\Docent.exe"; Parameters: "editor"; WorkingDir: "{#DataDir}"
Name: "{group}\Installing and operating Docent"; Filename: "{app}\README.md"
Name: "{group}\Uninstall Docent"; Filename: "{uninstallexe}"

[Run]
; The Korean speech model ships inside the bundle; this copies it into the data folder, offline.
Filename: "{cmd}"; Parameters: "/c ""set DOCENT_HOME={#DataDir}&& ""{app}\kiosk.exe"" models install ko"""; StatusMsg: "Installing the Korean speech model..."; Flags: runhidden
Filename: "{sys}\schtasks.exe"; Parameters: "/Create /F /TN ""Docent kiosk"" /XML ""{app}\docent-kiosk-task.xml"""; StatusMsg: "Starting the kiosk at sign-in..."; Flags: runhidden; Tasks: autostart
Filename: "{cmd}"; Parameters: "/k ""set DOCENT_HOME={#DataDir}&& ""{app}\kiosk.exe"" run --smoke"""; Description: "Check the installation now (kiosk run --smoke)"; Flags: postinstall nowait skipifsilent

[UninstallRun]
Filename: "{sys}\schtasks.exe"; Parameters: "/Delete /F /TN ""Docent kiosk"""; Flags: runhidden; RunOnceId: "DeleteDocentTask"

[Code]
{ The scheduled task names the program and the data folder by absolute path: fill them in once they are known. }
procedure FillTask();
var
  Path: String;
  Raw: AnsiString;
  Text: String;
begin
  Path := ExpandConstant('{app}\docent-kiosk-task.xml');
  if LoadStringFromFile(Path, Raw) then
  begin
    Text := String(Raw);
    StringChangeEx(Text, '@APP@', ExpandConstant('{app}'), True);
    StringChangeEx(Text, '@DATA@', ExpandConstant('{#DataDir}'), True);
    SaveStringToFile(Path, AnsiString(Text), False);
  end;
end;

procedure CurStepChanged(CurStep: TSetupStep);
begin
  if CurStep = ssPostInstall then
    FillTask();
end;
