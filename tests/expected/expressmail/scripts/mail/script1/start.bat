rem ***********************************************************************
rem start.bat of group mail (CLUSTERPRO X 2.1 for Windows)
rem hagen が次のファイルから生成: expressmail.yaml
rem 手で編集しないでください。クラスタファイルを変更して再生成してください。
rem ***********************************************************************

rem 起動要因チェック
IF "%CLP_EVENT%" == "START" GOTO NORMAL
IF "%CLP_EVENT%" == "FAILOVER" GOTO FAILOVER
IF "%CLP_EVENT%" == "RECOVER" GOTO RECOVER
GOTO no_arm

rem 通常起動対応処理
:NORMAL
IF "%CLP_DISK%" == "FAILURE" GOTO ERROR_DISK
IF "%CLP_SERVER%" == "OTHER" GOTO ON_OTHER1
ARMBCAST /MSG "最高プライオリティサーバで起動中です" /A
GOTO SERVICES
:ON_OTHER1
ARMBCAST /MSG "プライオリティサーバ以外で起動中です" /A
GOTO SERVICES

rem フェイルオーバ対応処理
:FAILOVER
IF "%CLP_DISK%" == "FAILURE" GOTO ERROR_DISK
IF "%CLP_SERVER%" == "OTHER" GOTO ON_OTHER2
ARMBCAST /MSG "最高プライオリティサーバで起動中です(フェイルオーバ後)" /A
GOTO SERVICES
:ON_OTHER2
ARMBCAST /MSG "プライオリティサーバ以外で起動中です(フェイルオーバ後)" /A
GOTO SERVICES

rem サービスの開始 (起動順)
:SERVICES
ARMLOAD EMSMTP /S /M "ExpressMail Smtp Service"
ARMLOAD EMPASS /S /M "ExpressMail Password Service"
ARMLOAD EMPOP /S /M "ExpressMail Pop Service"
ARMLOAD EMIMAP /S /M "ExpressMail Imap Service"
ARMLOAD EMHTTP /S /M "ExpressMail Http Service"
ARMLOAD EMCRON /S /M "ExpressMail Cron Service"
ARMLOAD EMLDAP /S /M "ExpressMail Ldap Service"
GOTO EXIT

rem リカバリ対応処理: 何も起動しない
:RECOVER
ARMBCAST /MSG "Server の復旧が終了しました" /A
GOTO EXIT

rem ディスク関連エラー処理: 何も起動しない
:ERROR_DISK
ARMBCAST /MSG "切替パーティションの接続に失敗しました" /A
EXIT 1

rem CLUSTERPRO 未動作: 何もしない
:no_arm
ARMBCAST /MSG "CLUSTERPRO が動作状態にありません" /A
EXIT 1

:EXIT
EXIT 0
