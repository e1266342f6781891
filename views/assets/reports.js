// Reports page: typing a date switches the period to "custom"; marks results busy while htmx fetches them.
const form = document.getElementById('report-filters')
if (form) {
  form.addEventListener('input', (event) => {
    const target = event.target
    if (target instanceof HTMLInputElement && target.type === 'date') {
      const preset = form.querySelector('select[name=preset]')
      if (preset) preset.value = 'custom'
    }
  })
  document.body.addEventListener('htmx:beforeRequest', () => {
    document.getElementById('report-results')?.setAttribute('aria-busy', 'true')
  })
}
