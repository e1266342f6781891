// Page script for pages that show a QR (entrance screen, visit pass, receipt, referral share): whole-pixel modules.
import { watchQrs } from '../qr-fit.ts'

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', watchQrs)
else watchQrs()
