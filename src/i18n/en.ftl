# English: the shop's second language.

## General
meta-description = Fresh bouquets, plants and funeral flowers from your own florist, delivered in the region.
skip-to-content = Skip to content
nav-label = Main menu
nav-shop = Shop
nav-privacy = Privacy
footer-company-heading = Company details
footer-kvk = Chamber of Commerce no.
footer-vat-id = VAT id
footer-info-heading = Information
flash-language-changed = The language is now English.

## Shop
home-heading = Our range
home-intro = Bouquets, plants and funeral flowers, made by hand in our shop and delivered wherever you like.
filter-category-label = Filter by category
filter-category-heading = Category
filter-occasion-label = Filter by occasion
filter-occasion-heading = Occasion
filter-all = All
products-heading = Products
products-none = No products match this choice.
products-show-all = Show all products
price-from = from
breadcrumb-label = Breadcrumb
product-image-alt = Illustration of { $name }
product-sizes-heading = Sizes and prices
product-size = Size
product-price = Price
product-vat-included = Prices include { $rate }% VAT.
product-lead-time-same-day = Delivered today if you order in time.
product-lead-time-days = We need { $days ->
    [one] one day
   *[other] { $days } days
} to make this.
product-occasions-heading = Suits
product-addons-heading = Make it complete
size-s = Small
size-m = Medium
size-l = Large
size-one = Standard

## Errors
error-code = Error code
error-back-home = Back to the shop
error-not-found-title = Page not found
error-not-found-text = This page does not exist (any more). The product may have left our range, or the link was not copied completely.
error-forbidden-title = Not allowed
error-csrf-text = The form has expired or did not come from our website. Go back, reload the page and try again.
error-method-title = Not possible here
error-method-text = This page does not support this action. Go back and use the buttons on the page.
error-too-large-title = Too much data
error-too-large-text = What you sent is too large. Make it shorter and try again.
error-unavailable-title = Temporarily unavailable
error-unavailable-text = The shop cannot be reached right now. Please try again in a few minutes.
error-internal-title = Something went wrong
error-internal-text = Something went wrong on our side. Nothing you entered was lost; please try again or contact us.
error-bad-request-title = Request not understood
error-bad-request-text = We did not understand this request. Go back and try again.
error-unknown-language = We do not offer this language. Choose Nederlands or English.

## Privacy
privacy-title = Privacy statement
privacy-intro = This page tells you what data { $shop } keeps about you, why, on what legal basis and for how long. It is generated from the same list the software itself uses, so it always matches what we really store.
privacy-stored-heading = What data we keep
privacy-stored-none = At the moment our database holds no personal data: you can browse the range without us recording anything about you.
privacy-col-data = Data
privacy-col-purpose = Why
privacy-col-basis = Legal basis
privacy-col-retention = How long
privacy-col-cookie = Cookie
privacy-col-contents = Contents
privacy-logs = We use your IP address only to send the page to you; we do not write it to our logs and do not keep it.
privacy-cookies-heading = Cookies
privacy-cookies-intro = We only set cookies that the website needs to work or that remember a choice you made yourself. We set no tracking or advertising cookies.
privacy-rights-heading = Your rights
privacy-rights-text = You may always ask which data we hold about you, have it corrected, receive a copy or have it erased. We handle your request within four weeks.
privacy-contact = Contact us at { $email } or { $phone }.
privacy-authority-heading = Making a complaint
privacy-authority-text = If we cannot resolve it together, you can complain to the Autoriteit Persoonsgegevens, the Dutch data protection authority.
data-category-contact = Contact details (name, e-mail address, phone number)
data-category-address = Name and address
data-category-login = Login data
data-category-orders = Orders
data-category-free-text = Messages you write yourself
data-category-business = Business data (Chamber of Commerce no., job title, VAT id)
data-category-financial = Financial data (IBAN)
data-category-technical = Technical data and cookie identifiers
data-category-preferences = Preferences
purpose-site-operation = Running and securing the website
purpose-remember-preferences = Remembering your preferences
purpose-order-fulfilment = Processing and delivering your order and keeping you informed
purpose-account = Managing your account
purpose-bookkeeping = Bookkeeping and tax returns
purpose-marketing = Newsletters and offers
purpose-customer-service = Handling questions, complaints and privacy requests
basis-contract = Performance of the contract
basis-legal-obligation = Legal obligation
basis-consent = Consent
basis-legitimate-interest = Legitimate interest
retention-browser-session = Until you close the browser
retention-one-year = One year
retention-two-years = Two years after your last activity
retention-seven-years-fiscal = Seven years (tax retention)
retention-days-after-delivery = { $days } days after delivery
cookie-session-contents = An encrypted session with a security token for forms and one-time messages
cookie-lang-contents = The language you chose

## Delivery
delivery-date-too-soon = We cannot make or deliver this that soon. Choose a later date from the list.
delivery-date-too-far = You cannot order that far ahead yet. Choose a date from the list.
delivery-date-closed = We are closed on that day. Choose another date from the list.
delivery-date-full = That day is fully booked. Choose another date from the list.

## Cart
nav-cart = Cart
product-choose-size = Choose a size
product-quantity = Quantity
product-add-to-cart = Add to cart
cart-title = Cart
cart-empty = Your cart is empty.
cart-continue = Continue shopping
cart-col-product = Product
cart-col-price = Price each
cart-col-quantity = Quantity
cart-col-total = Total
cart-col-actions = Actions
cart-update = Update
cart-remove = Remove
cart-goods-total = Items total
cart-vat-rate = of which VAT { $rate }%
cart-delivery-note = You choose the delivery date and see the delivery fee at checkout. All prices include VAT.
cart-added = Added to your cart.
cart-updated = The quantity has been changed.
cart-removed = The product has been removed from your cart.
cart-dropped = One or more products in your cart are no longer available and have been removed.
cart-error-size = Choose a size.
cart-error-quantity = Enter a quantity from 1 to 25.
cart-error-too-many-lines = Your cart is full. Please complete this order first.
cart-error-no-such-line = That product was not (or no longer) in your cart.
cart-error-addon = This extra does not go with this product.
