# Nederlands: de standaardtaal van de winkel.

## Algemeen
meta-description = Verse boeketten, planten en rouwwerk van je eigen bloemist, met bezorging in de regio.
skip-to-content = Naar de inhoud
nav-label = Hoofdmenu
nav-shop = Assortiment
nav-privacy = Privacy
footer-company-heading = Bedrijfsgegevens
footer-kvk = KvK-nummer
footer-vat-id = Btw-id
footer-info-heading = Informatie
flash-language-changed = De taal is nu Nederlands.

## Winkel
home-heading = Ons assortiment
home-intro = Boeketten, planten en rouwwerk, met de hand gemaakt in onze winkel en bezorgd waar je maar wilt.
filter-category-label = Filter op categorie
filter-category-heading = Categorie
filter-occasion-label = Filter op gelegenheid
filter-occasion-heading = Gelegenheid
filter-all = Alles
products-heading = Producten
products-none = Er zijn geen producten die bij deze keuze passen.
products-show-all = Toon alle producten
price-from = vanaf
breadcrumb-label = Kruimelpad
product-image-alt = Illustratie van { $name }
product-sizes-heading = Formaten en prijzen
product-size = Formaat
product-price = Prijs
product-vat-included = Prijzen zijn inclusief { $rate }% btw.
product-lead-time-same-day = Vandaag nog bezorgd als je op tijd bestelt.
product-lead-time-days = We hebben { $days ->
    [one] één dag
   *[other] { $days } dagen
} nodig om dit te maken.
product-occasions-heading = Past bij
product-addons-heading = Maak het compleet
size-s = Klein
size-m = Middel
size-l = Groot
size-one = Standaard

## Foutmeldingen
error-code = Foutcode
error-back-home = Naar de winkel
error-not-found-title = Pagina niet gevonden
error-not-found-text = Deze pagina bestaat niet (meer). Misschien is het product uit het assortiment gehaald of is de link niet helemaal goed overgenomen.
error-forbidden-title = Dat mag niet
error-csrf-text = Het formulier is verlopen of kwam niet van onze website. Ga terug, vernieuw de pagina en probeer het nog eens.
error-method-title = Dat kan hier niet
error-method-text = Deze pagina ondersteunt deze handeling niet. Ga terug en gebruik de knoppen op de pagina.
error-too-large-title = Te veel gegevens
error-too-large-text = Wat je verstuurde is te groot. Maak het korter en probeer het opnieuw.
error-unavailable-title = Even niet bereikbaar
error-unavailable-text = De winkel is op dit moment even niet bereikbaar. Probeer het over een paar minuten opnieuw.
error-internal-title = Er ging iets mis
error-internal-text = Er ging aan onze kant iets mis. Er is niets van je verloren gegaan; probeer het opnieuw of neem contact met ons op.
error-bad-request-title = Verzoek niet begrepen
error-bad-request-text = We begrepen dit verzoek niet. Ga terug en probeer het opnieuw.
error-unknown-language = Deze taal bieden we niet aan. Kies Nederlands of English.

## Privacy
privacy-title = Privacyverklaring
privacy-intro = Hier lees je welke gegevens { $shop } over jou bewaart, waarom, op welke grondslag en hoe lang. Deze pagina wordt gemaakt uit dezelfde lijst die de software zelf gebruikt, dus ze klopt altijd met wat we echt opslaan.
privacy-stored-heading = Welke gegevens we bewaren
privacy-stored-none = Op dit moment bewaren we in onze database geen persoonsgegevens: je kunt het assortiment bekijken zonder dat we iets over je vastleggen.
privacy-col-data = Gegevens
privacy-col-purpose = Waarom
privacy-col-basis = Grondslag
privacy-col-retention = Hoe lang
privacy-col-cookie = Cookie
privacy-col-contents = Inhoud
privacy-logs = Je IP-adres gebruiken we alleen om de pagina naar je toe te sturen; we schrijven het niet in onze logbestanden en bewaren het niet.
privacy-cookies-heading = Cookies
privacy-cookies-intro = We plaatsen alleen cookies die nodig zijn om de website te laten werken of om een keuze te onthouden die je zelf maakte. We plaatsen geen tracking- of advertentiecookies.
privacy-rights-heading = Jouw rechten
privacy-rights-text = Je mag altijd vragen welke gegevens we van je hebben, ze laten verbeteren, ze meekrijgen of ze laten verwijderen. We handelen je verzoek binnen vier weken af.
privacy-contact = Neem hiervoor contact op via { $email } of { $phone }.
privacy-authority-heading = Klacht indienen
privacy-authority-text = Kom je er met ons niet uit, dan kun je een klacht indienen bij de Autoriteit Persoonsgegevens, de Nederlandse toezichthouder op privacy.
data-category-contact = Contactgegevens (naam, e-mailadres, telefoonnummer)
data-category-address = Naam en adres
data-category-login = Inloggegevens
data-category-orders = Bestellingen
data-category-free-text = Berichten die je zelf schrijft
data-category-business = Bedrijfsgegevens (KvK-nummer, functie, btw-id)
data-category-financial = Financiële gegevens (IBAN)
data-category-technical = Technische gegevens en cookie-identificatie
data-category-preferences = Voorkeuren
purpose-site-operation = De website laten werken en beveiligen
purpose-remember-preferences = Je voorkeuren onthouden
purpose-order-fulfilment = Je bestelling verwerken en bezorgen en je op de hoogte houden
purpose-account = Je account beheren
purpose-bookkeeping = Boekhouding en belastingaangifte
purpose-marketing = Nieuwsbrieven en aanbiedingen
purpose-customer-service = Vragen, klachten en privacyverzoeken afhandelen
basis-contract = Uitvoering van de overeenkomst
basis-legal-obligation = Wettelijke plicht
basis-consent = Toestemming
basis-legitimate-interest = Gerechtvaardigd belang
retention-browser-session = Tot je de browser sluit
retention-one-year = Eén jaar
retention-two-years = Twee jaar na je laatste activiteit
retention-seven-years-fiscal = Zeven jaar (fiscale bewaarplicht)
retention-days-after-delivery = { $days } dagen na de bezorging
cookie-session-contents = Een versleutelde sessie met een beveiligingssleutel voor formulieren en eenmalige meldingen
cookie-lang-contents = De taal die je koos

## Bezorging
delivery-date-too-soon = Zo snel kunnen we dit niet maken of bezorgen. Kies een latere datum uit de lijst.
delivery-date-too-far = Zo ver vooruit kun je nog niet bestellen. Kies een datum uit de lijst.
delivery-date-closed = Op die dag zijn we gesloten. Kies een andere datum uit de lijst.
delivery-date-full = Die dag zit helaas vol. Kies een andere datum uit de lijst.

## Winkelwagen
nav-cart = Winkelwagen
product-choose-size = Kies een formaat
product-quantity = Aantal
product-add-to-cart = In de winkelwagen
cart-title = Winkelwagen
cart-empty = Je winkelwagen is leeg.
cart-continue = Verder winkelen
cart-col-product = Product
cart-col-price = Prijs per stuk
cart-col-quantity = Aantal
cart-col-total = Totaal
cart-col-actions = Acties
cart-update = Wijzig
cart-remove = Verwijder
cart-goods-total = Totaal artikelen
cart-vat-rate = waarvan btw { $rate }%
cart-delivery-note = Bezorgkosten en de bezorgdatum kies je bij het afrekenen. Alle prijzen zijn inclusief btw.
cart-added = Toegevoegd aan je winkelwagen.
cart-updated = Het aantal is aangepast.
cart-removed = Het product is uit je winkelwagen gehaald.
cart-dropped = Een of meer producten in je winkelwagen zijn niet meer leverbaar en zijn eruit gehaald.
cart-error-size = Kies een formaat.
cart-error-quantity = Vul een aantal in van 1 tot en met 25.
cart-error-too-many-lines = Je winkelwagen is vol. Rond eerst deze bestelling af.
cart-error-no-such-line = Dat product stond niet (meer) in je winkelwagen.
cart-error-addon = Deze extra hoort niet bij dit product.
