// Stores a freshly paired station's device token in this browser, then opens the station page.
const paired = document.getElementById('paired')
if (paired) {
  localStorage.setItem(`showroom.station.${paired.dataset.station}`, paired.dataset.token)
  location.replace(paired.dataset.href)
}
