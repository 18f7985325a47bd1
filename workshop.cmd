@echo off
rem The learner's loop on Windows (elsewhere: ./workshop). Run workshop.cmd with no command for its usage:
rem   workshop.cmd watch [MM | MM.N]   re-check an exercise each time you save a file
rem   workshop.cmd hint MM.N | reset MM.N | solution MM.N | status
rem Maven finds the JDK 25 and compiles once; then a JDK 25 JVM does the rest, without Maven.
setlocal EnableExtensions
cd /d "%~dp0"
set "SUPPORT=workshop-support\target\workshop-loop"

if /i "%~1"=="watch" goto watch
if /i "%~1"=="check" call :checked "%~2" || exit /b 1

if not exist "%SUPPORT%\launch.args" call :prepare workshop-support || exit /b 1
call :java %*
if "%RC%"=="3" (
  call :prepare workshop-support || exit /b 1
  call :java %*
)
exit /b %RC%

:watch
set "ARG=%~2"
set "MODULES="
if "%ARG%"=="" goto every
if /i "%ARG%"=="all" goto every
if /i "%ARG:~0,7%"=="module-" (
  set "MODULES=%ARG%"
) else (
  for /d %%m in ("module-%ARG:~0,2%-*") do if not defined MODULES set "MODULES=%%~nxm"
)
goto watching
:every
for /d %%m in ("module-*") do call :add %%~nxm
:watching
if not defined MODULES (
  echo workshop: no module for '%ARG%': give a module ^(01^), an exercise ^(01.3^) or nothing ^(every module^).
  exit /b 2
)
call :prepare "workshop-support,%MODULES%" || exit /b 1
call :java %*
exit /b %RC%

:checked
rem the module of an exercise must have been built for the loop once
set "ARG=%~1"
set "MODULES="
for /d %%m in ("module-%ARG:~0,2%-*") do if not defined MODULES set "MODULES=%%~nxm"
if not defined MODULES exit /b 0
if exist "%MODULES%\target\workshop-loop\classpath.txt" exit /b 0
call :prepare "workshop-support,%MODULES%"
exit /b %ERRORLEVEL%

:add
if defined MODULES (set "MODULES=%MODULES%,%1") else (set "MODULES=%1")
exit /b 0

:prepare
set "QUIET=-q"
if not exist "%SUPPORT%\launch.args" (
  set "QUIET="
  echo workshop: the first build: Maven downloads itself and the libraries ^(a few minutes^), then compiles.
)
echo workshop: building %~1 with Maven ...
call mvnw.cmd %QUIET% -Ploop process-test-classes -pl "%~1" -am
if errorlevel 1 (
  echo workshop: the Maven build failed: see its messages above.
  exit /b 1
)
exit /b 0

:java
set /p JAVA=<"%SUPPORT%\java.txt"
"%JAVA%" "@%SUPPORT%\launch.args" workshop.support.loop.Workshop %*
set "RC=%ERRORLEVEL%"
exit /b 0
