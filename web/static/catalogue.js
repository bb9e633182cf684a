/* The catalogue's folds (filters, auction calendar) open by themselves on a wide screen; on a phone
 * they stay closed so the first lot shows on the first screen. Without JavaScript they stay closed
 * and open with a tap. The lot page's gallery: a thumbnail shows its photo large without leaving
 * the page (without JavaScript the link opens the photo itself). */
(function () {
  "use strict";
  if (window.matchMedia("(min-width: 48rem)").matches) {
    for (const d of document.querySelectorAll("details[data-wide-open]")) d.open = true;
  }
  const large = document.querySelector(".gallery .main-photo img");
  for (const a of document.querySelectorAll(".gallery .strip a")) {
    a.addEventListener("click", function (e) {
      if (!large) return;
      e.preventDefault();
      const img = a.querySelector("img");
      large.src = a.getAttribute("href");
      large.alt = img ? img.alt : large.alt;
      for (const other of document.querySelectorAll(".gallery .strip a")) other.removeAttribute("aria-current");
      a.setAttribute("aria-current", "true");
    });
  }
})();
